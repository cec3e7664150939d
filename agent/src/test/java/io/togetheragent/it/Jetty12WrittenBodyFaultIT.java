package io.togetheragent.it;

/**
 * The fault suite on Jetty's HttpClient 12 with the body written after the send, as Spring's Jetty factory writes
 * it: the agent reads it ahead of the call's turn and Jetty sends it from the agent's copy.
 */
class Jetty12WrittenBodyFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty12("--publisher", "output-stream");
    }

    /**
     * A connection closed or reset while the body goes out is reported as Jetty's {@code EofException} (the write
     * meets it: a broken pipe, a reset) or as {@code java.io.EOFException} (the read does), as Jetty happens to meet
     * it first, with the agent or without it (seen both ways without it): the same failure to the application.
     */
    @Override
    protected String seen(Outcome outcome) {
        return outcome.seen().replace("exception java.io.EOFException", "exception org.eclipse.jetty.io.EofException");
    }
}
