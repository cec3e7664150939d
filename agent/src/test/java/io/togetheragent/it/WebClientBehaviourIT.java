package io.togetheragent.it;

/** The shared behaviour suite on Spring WebClient over Reactor Netty (Spring 6.2, Reactor Netty 1.2). */
class WebClientBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.webClient();
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
