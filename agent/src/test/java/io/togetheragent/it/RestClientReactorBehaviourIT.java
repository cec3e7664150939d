package io.togetheragent.it;

/** The shared behaviour suite on Spring RestClient with ReactorClientHttpRequestFactory, blocking over Reactor Netty. */
class RestClientReactorBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.restClient("reactor");
    }

    /** RestClient blocks: the calls of the suite's --async are made the same way. */
    @Override
    protected boolean hasAsync() {
        return false;
    }

    /** Nothing of the error body is read before the application reads it: it is never taken from it. */
    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    /** Reactor Netty's own rule (see the suite): attempts after the first are compared. */
    @Override
    protected boolean firstAttemptAlwaysKeepsItsConnection() {
        return false;
    }

    /** The body is known only once sent: the first attempt takes its turn before that. */
    @Override
    protected boolean identifiesBodies() {
        return false;
    }
}
