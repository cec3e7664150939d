package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 5.0, classic. */
class HttpClient5OldestBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5("httpclient5-oldest");
    }

    @Override
    protected boolean hasAsync() {
        return false;
    }
}
