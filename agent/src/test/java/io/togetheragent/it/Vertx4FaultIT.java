package io.togetheragent.it;

/** The fault suite on Vert.x 4's HttpClient, its body read in parts as they come. */
class Vertx4FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-4", "--stream");
    }

    /**
     * A connection reset mid-body reaches Vert.x's response as the reset ({@code SocketException}) or, now and then,
     * as the close that follows it ({@code HttpClosedException}), with or without the agent: 1 in 8 runs without it
     * gave the close. Either is the same failure to the application.
     */
    @Override
    protected String seen(Outcome outcome) {
        return outcome.seen().replace("then java.net.SocketException", "then io.vertx.core.http.HttpClosedException")
                .replace("exception java.net.SocketException", "exception io.vertx.core.http.HttpClosedException");
    }
}
