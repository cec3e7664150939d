package io.togetheragent.it;

/**
 * The shared behaviour suite on Spring WebClient over Apache HttpClient 5 (Spring 6.2, HttpClient 5.6): the async
 * client, its body a reactive producer that the agent reads ahead.
 */
class WebClientHttpClient5BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.webClientOnHttpClient5();
    }

    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
