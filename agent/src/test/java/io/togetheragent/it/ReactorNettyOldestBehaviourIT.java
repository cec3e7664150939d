package io.togetheragent.it;

/** The shared behaviour suite on Reactor Netty's HttpClient, oldest line supported (1.0), headers set while sending. */
class ReactorNettyOldestBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.reactorNetty("reactor-netty-oldest", "--variant", "send-headers");
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
