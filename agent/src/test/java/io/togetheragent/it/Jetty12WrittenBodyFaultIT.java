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
     * meets it: a broken pipe, a reset), as {@code java.io.EOFException} (the read does), or, without the agent, as an
     * {@code IOException} around either thrown at the application's own write to the body's stream when that write
     * meets the reset first (with the agent the body was read ahead, so the call's listener reports it): which one is
     * a race in Jetty (CI met the third without the agent). All are the same failure to the application.
     */
    @Override
    protected String seen(Outcome outcome) {
        String error = outcome.error == null ? "" : outcome.error.replaceFirst("^java\\.io\\.IOException: ", "");
        boolean endOfStream = error.startsWith("java.io.EOFException")
                || error.startsWith("org.eclipse.jetty.io.EofException");
        return endOfStream ? "exception org.eclipse.jetty.io.EofException" : outcome.seen();
    }
}
