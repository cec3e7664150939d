package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 5.0, async. */
class HttpClient5AsyncOldestBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5Async("httpclient5-oldest");
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
