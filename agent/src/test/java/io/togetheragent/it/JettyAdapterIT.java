package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Jetty's HttpClient has beyond the shared suites: waits that hold no thread, an abort that stops the call,
 * its own timeout bounding the waits, streamed answers, and max-concurrent, whose places are handed back by the
 * answers the agent does not take.
 */
class JettyAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private static ProbeRunner client(String which) {
        return which.equals("jetty-12") ? ProbeRunner.jetty12() : ProbeRunner.jetty9(which);
    }

    /** No Jetty selector or client thread, and no thread of the agent's, sleeps while a call waits. */
    @Test
    void waitsAreScheduledAndHoldNoThread() throws Exception {
        enqueue429(1, Map.of("retry-after", "2"));
        ChildJvm.Result r = client("jetty-12").runInTheWait(SETTINGS, "--url", url(), "--async");
        // The probe looked into the two-second wait as the agent began it.
        assertTrue(r.stdout.contains("SLEEPING_IN_AGENT 0\n"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertTrue(r.stdout.contains("CALLBACKS 1\n"), r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    /** {@code request.abort()} during a wait: the application hears of it soon, and nothing more is sent. */
    @Test
    void abortingTheRequestStopsFurtherAttempts() throws Exception {
        enqueue429(3, Map.of("retry-after", "2"));
        ChildJvm.Result r = client("jetty-12").runInTheWait(SETTINGS, "--url", url(), "--async", "--cancel",
                "--linger-ms", "2500");
        assertTrue(r.stdout.contains("CANCELLED "), r.describe());
        Outcome o = Outcome.parse(r.stdout).get(0);
        assertTrue(r.stdout.contains("cancelled by the application"), r.describe());
        assertEquals(-1, o.status, r.describe());
        // The probe lingered 2.5 s after the outcome: a retry would have come 2 s after the first answer.
        assertEquals(1, server.requestCount(), r.describe());
    }

    /** The request's own {@code timeout()}: no wait is begun that it would not leave room for. */
    @ParameterizedTest
    @ValueSource(strings = {"jetty-9", "jetty-12"})
    void theRequestTimeoutBoundsTheWaits(String which) {
        assertTheCallsTimeoutBoundsTheWaits(client(which), SETTINGS);
    }

    /** A 429 before a stream is retried; the stream then reaches the application as it comes. */
    @ParameterizedTest
    @ValueSource(strings = {"jetty-9", "jetty-12"})
    void aStreamedAnswerReachesTheApplicationUnbuffered(String which) throws Exception {
        StreamedAnswers.retriedThenUnbuffered(client(which), SETTINGS);
    }

    /** Each attempt's place under max-concurrent goes back with its answer, taken by the agent or not. */
    @ParameterizedTest
    @ValueSource(strings = {"jetty-9", "jetty-12"})
    void maxConcurrentCapsRequestsInFlight(String which) {
        assertMaxConcurrentHoldsTwoInFlight(client(which), SETTINGS);
    }
}
