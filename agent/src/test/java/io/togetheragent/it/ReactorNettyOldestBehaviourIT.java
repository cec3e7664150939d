package io.togetheragent.it;

/** The shared behaviour suite on Reactor Netty's HttpClient, oldest line supported (1.0), headers set while sending. */
class ReactorNettyOldestBehaviourIT extends ReactorNettySuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.reactorNetty("reactor-netty-oldest", "--variant", "send-headers");
    }
}
