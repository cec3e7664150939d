package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 5 (newest), async, over HTTPS to api.together.xyz. */
class HttpClient5AsyncHttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5Async("httpclient5-newest");
    }

    @Override
    protected boolean https() {
        return true;
    }

    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
