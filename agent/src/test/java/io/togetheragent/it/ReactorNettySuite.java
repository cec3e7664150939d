package io.togetheragent.it;

/**
 * The shared behaviour suite as the clients on Reactor Netty run it (Reactor Netty itself, WebClient, RestClient on
 * the Reactor factory): what the adapter can know, and what Reactor Netty does with connections, differ from the
 * other clients in the same ways.
 */
abstract class ReactorNettySuite extends ClientBehaviourSuite {
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

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
