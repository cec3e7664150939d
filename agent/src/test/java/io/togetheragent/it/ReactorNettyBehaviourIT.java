package io.togetheragent.it;

/** The shared behaviour suite on Reactor Netty's HttpClient, newest line (1.3). */
class ReactorNettyBehaviourIT extends ReactorNettySuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.reactorNetty("reactor-netty-newest");
    }
}
