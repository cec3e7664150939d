package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Vert.x has beyond the shared suites: waits that block no event loop (Vert.x's own checker says so), a reset
 * that stops the call, its own timeout bounding the waits, streamed answers, max-concurrent, WebClient's JSON
 * bodies and Vert.x 4's form that calls back.
 */
class VertxAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    /** {@code vertx-4}, {@code vertx-5}, or {@code webclient} (Vert.x 5's). */
    private static ProbeRunner client(String which) {
        return which.equals("webclient") ? ProbeRunner.vertx("vertx-5", "--variant", "webclient")
                : ProbeRunner.vertx(which);
    }

    /**
     * Calls made on an event loop wait on a timer: no thread sleeps in the agent, and Vert.x's blocked-thread
     * checker (set by the probe to report any event-loop task over 1 s) reports nothing during a 2 s wait.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vertx-4", "vertx-5", "webclient"})
    void waitsAreTimersAndNoEventLoopBlocks(String which) throws Exception {
        enqueue429(1, Map.of("retry-after", "2"));
        ChildJvm.Result r = client(which).runInTheWait(SETTINGS, "--url", url(), "--async");
        assertTrue(r.stdout.contains("SLEEPING_IN_AGENT 0\n"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertTrue(r.stdout.contains("CALLBACKS 1\n"), r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        assertTrue(!r.stderr.contains("has been blocked"), r.describe());
        assertEquals(1, r.agentLinesContaining("got 429: retry 1 of 8 in 2."), r.describe());
    }

    /** {@code request.reset()} during a wait: the application's future fails at once, and nothing more is sent. */
    @ParameterizedTest
    @ValueSource(strings = {"vertx-4", "vertx-5"})
    void resettingTheRequestStopsFurtherAttempts(String which) throws Exception {
        enqueue429(3, Map.of("retry-after", "2"));
        ChildJvm.Result r = client(which).runInTheWait(SETTINGS, "--url", url(), "--async", "--cancel",
                "--linger-ms", "2500");
        assertTrue(r.stdout.contains("CANCELLED "), r.describe());
        Outcome o = Outcome.parse(r.stdout).get(0);
        assertTrue(o.error != null && o.error.contains("StreamResetException"), r.describe());
        // The probe lingered 2.5 s after the outcome: a retry would have come 2 s after the first answer.
        assertEquals(1, server.requestCount(), r.describe());
    }

    /** The request's own timeout: no wait is begun that it would not leave room for. */
    @ParameterizedTest
    @ValueSource(strings = {"vertx-4", "vertx-5", "webclient"})
    void theRequestTimeoutBoundsTheWaits(String which) {
        assertTheCallsTimeoutBoundsTheWaits(client(which), SETTINGS);
    }

    /** A 429 before a stream is retried; the stream then reaches the application as it comes. */
    @ParameterizedTest
    @ValueSource(strings = {"vertx-4", "vertx-5"})
    void aStreamedAnswerReachesTheApplicationUnbuffered(String which) throws Exception {
        StreamedAnswers.retriedThenUnbuffered(client(which), SETTINGS);
    }

    /** Each attempt's place under max-concurrent goes back with its answer, taken by the agent or not. */
    @ParameterizedTest
    @ValueSource(strings = {"vertx-4", "vertx-5"})
    void maxConcurrentCapsRequestsInFlight(String which) {
        assertMaxConcurrentHoldsTwoInFlight(client(which), SETTINGS);
    }

    /** WebClient's {@code sendBuffer}, {@code sendJson}, {@code sendJsonObject}: each attempt sends the same bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"buffer", "json", "json-object"})
    void webClientBodiesAreResentByteForByte(String publisher) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client("webclient").run(SETTINGS, List.of(), "--url", url(), "--publisher", publisher);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> requests = server.requests();
        assertEquals(3, requests.size(), r.describe());
        assertTrue(requests.get(0).bodyText().contains("h\u00e9llo \u2603"), requests.get(0).bodyText());
        for (RecordedRequest again : requests) {
            assertEquals(requests.get(0).bodyText(), again.bodyText(), r.describe());
            assertEquals("application/json", again.headers.get("content-type"), r.describe());
        }
    }

    /** A client whose options name the host (each request only its path) is steered by that host. */
    @ParameterizedTest
    @ValueSource(strings = {"vertx-4", "vertx-5"})
    void aRequestToTheClientsDefaultHostRecovers(String which) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = ProbeRunner.vertx(which, "--variant", "default-host").run(SETTINGS, List.of(),
                "--url", url());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    /** Vert.x 4's {@code request(options, handler)} goes through the agent as the form returning a future does. */
    @Test
    void vertx4sCallbackFormRecovers() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client("vertx-4").run(SETTINGS, List.of(), "--url", url(), "--handler");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }
}
