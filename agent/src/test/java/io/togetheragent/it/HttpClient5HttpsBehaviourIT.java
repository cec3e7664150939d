package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 5 (newest), classic, over HTTPS to api.together.xyz. */
class HttpClient5HttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5("httpclient5-newest");
    }

    @Override
    protected boolean hasAsync() {
        return false;
    }

    @Override
    protected boolean https() {
        return true;
    }
}
