package io.togetheragent.it;

/** The shared behaviour suite on Apache HttpClient 4.5. */
class HttpClient4BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient4();
    }

    @Override
    protected boolean hasAsync() {
        return false;
    }
}
