package io.togetheragent.it;

/** The shared behaviour suite on Spring WebClient over Reactor Netty (Spring 6.2, Reactor Netty 1.2). */
class WebClientBehaviourIT extends ReactorNettySuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.webClient();
    }
}
