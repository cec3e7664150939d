package io.togetheragent.it;

/** The shared behaviour suite on Spring WebClient over Reactor Netty, over HTTPS to api.together.xyz. */
class WebClientHttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.webClient();
    }

    @Override
    protected boolean https() {
        return true;
    }

    /** Nothing of the error body is read before the application reads it: it is never taken from it. */
    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    /** The body is known only once sent: the first attempt takes its turn before that. */
    @Override
    protected boolean identifiesBodies() {
        return false;
    }
}
