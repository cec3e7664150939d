package io.togetheragent.it;

/**
 * The shared behaviour suite on Spring RestClient with ReactorClientHttpRequestFactory, blocking over Reactor Netty.
 */
class RestClientReactorBehaviourIT extends ReactorNettySuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.restClient("reactor");
    }

    /** RestClient blocks: the calls of the suite's --async are made the same way. */
    @Override
    protected boolean hasAsync() {
        return false;
    }
}
