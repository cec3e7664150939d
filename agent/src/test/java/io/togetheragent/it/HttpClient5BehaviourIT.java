package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 5 (newest), classic. */
class HttpClient5BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5("httpclient5-newest");
    }

    @Override
    protected boolean hasAsync() {
        return false;
    }
}
