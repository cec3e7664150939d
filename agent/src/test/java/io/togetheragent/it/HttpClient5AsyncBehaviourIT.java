package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 5 (newest), async. */
class HttpClient5AsyncBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5Async("httpclient5-newest");
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
