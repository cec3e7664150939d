package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 4.5, over HTTPS to api.together.xyz. */
class HttpClient4HttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient4();
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
