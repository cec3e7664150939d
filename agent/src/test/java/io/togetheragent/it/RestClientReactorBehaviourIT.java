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
