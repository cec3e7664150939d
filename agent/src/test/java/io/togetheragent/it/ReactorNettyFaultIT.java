package io.togetheragent.it;

/** The fault suite on Reactor Netty's HttpClient, newest line. */
class ReactorNettyFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.reactorNetty("reactor-netty-newest");
    }

    /**
     * A connection reset while the request goes out is reported as a {@code SocketException} or as Reactor Netty's
     * {@code PrematureCloseException}, as the event loop happens to see the reset or the closed channel first, with
     * the agent or without it (seen both ways without it).
     */
    @Override
    protected String seen(Outcome outcome) {
        String seen = outcome.seen();
        return seen.equals("exception java.net.SocketException")
                ? "exception reactor.netty.http.client.PrematureCloseException" : seen;
    }
}
