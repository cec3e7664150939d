package io.togetheragent.it;

/** The shared behaviour suite on Reactor Netty's HttpClient, newest line (1.3). */
class ReactorNettyBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.reactorNetty("reactor-netty-newest");
    }

    /** Nothing of the error body is read before the application reads it: it is never taken from it. */
    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    /** Reactor Netty may return the first attempt's connection late (see the suite). */
    @Override
    protected int mostConnectionsForFourAttempts() {
        return 2;
    }

    /** The body is known only once sent: the first attempt takes its turn before that. */
    @Override
    protected boolean identifiesBodies() {
        return false;
    }
}
