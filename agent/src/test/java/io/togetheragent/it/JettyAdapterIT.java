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
 * What Jetty's HttpClient has beyond the shared suites: waits that hold no thread, an abort that stops the call,
 * its own timeout bounding the waits, streamed answers, max-concurrent, whose places are handed back by the
 * answers the agent does not take, and Jetty 12's bodies written after the send (as Spring writes them), read ahead
 * of the call's turn.
 */
class JettyAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private static ProbeRunner client(String which) {
        return which.equals("jetty-12") ? ProbeRunner.jetty12() : ProbeRunner.jetty9(which);
    }

    /**
     * Regression: a body in memory (the probes' StringRequestContent, StringContentProvider) is resent from its own
     * buffers; one past max-replay-bytes gave the agent no bytes, and its 429 reached the application only through
     * the agent's own failure (a NullPointerException, reported as an internal error), not as a body not replayed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jetty-9", "jetty-12"})
    void aBodyInMemoryPastMaxReplayBytesIsNotResent(String which) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client(which).run(SETTINGS + ",max-replay-bytes=16", List.of(), "--url", url());
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesOf429("not retried because its request body is longer than max-replay-bytes"),
                r.describe());
        assertEquals(0, r.agentLinesContaining("internal error"), r.describe());
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

    /**
     * {@code request.abort()} while a call waits for its first turn (its lane cooling down after another call's 429,
     * for 3 s): the application hears of it at once, not when the turn comes, and the request is never sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jetty-9", "jetty-12"})
    void abortingACallThatWaitsForItsTurnEndsItAtOnce(String which) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        ChildJvm.Result r = client(which).run(SETTINGS + ",max-retries=0", List.of(), "--url", url(), "--calls", "2",
                "--abort-after-ms", "300", "--linger-ms", "3000");
        // The probe lingered past the turn: the aborted request was not sent then either.
        assertTheSecondCallEndedAtItsAbort(r, 429);
    }

    /**
     * The same while a call waits for its place under max-concurrent (the one place held by a call whose answer takes
     * 4 s, sent a second before it: 100 ms was not always enough for a first Jetty 12 call to take its place on a
     * loaded Java 25): the application hears of its abort at once, and the request is never sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jetty-9", "jetty-12"})
    void abortingACallThatWaitsForItsPlaceEndsItAtOnce(String which) {
        server.delayResponses(4000);
        ChildJvm.Result r = client(which).run(SETTINGS + ",max-concurrent=1", List.of(), "--url", url(), "--calls",
                "2", "--threads", "2", "--first-alone-ms", "1000", "--abort-after-ms", "300");
        assertTheSecondCallEndedAtItsAbort(r, 200);
    }

    /**
     * The first call got {@code status}; the second, aborted 300 ms after its send while it waited (its wait 2.6 s or
     * more away, the place's 2.7 s), ended with the abort within 1.5 s (the agent looks every 50 ms) and never reached the server.
     */
    private void assertTheSecondCallEndedAtItsAbort(ChildJvm.Result r, int status) {
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        outcomes.sort(java.util.Comparator.comparingInt(o -> o.call));
        assertEquals(status, outcomes.get(0).status, r.describe());
        assertTrue(String.valueOf(outcomes.get(1).error).contains("cancelled by the application"), r.describe());
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("ABORT-TO-END 1 (\\d+)").matcher(r.stdout);
        assertTrue(end.find(), r.describe());
        assertTrue(Long.parseLong(end.group(1)) < 1500, r.describe());
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

    /**
     * A body written after the send, as Spring's Jetty factory writes it, is read before the call's first turn: each
     * model waits in its own lane (ClientBehaviourSuite's oneModelsCoolDownNeverHoldsBackAnothers).
     */
    @Test
    void aBodyWrittenAfterTheSendWaitsInItsModelsLane() {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        ChildJvm.Result r = client("jetty-12").run(SETTINGS + ",max-retries=0", List.of(), "--url", url(),
                "--publisher", "output-stream", "--calls", "3", "--alternate-model", "n");
        assertOneModelsCoolDownHeldBackNoOther(r);
    }

    /**
     * A body not written to its end when the agent stops reading ahead (500 ms) goes to Jetty as read and then as it
     * is written: whole, and sent again from the copy kept as Jetty sent it; its model is not known in time (its
     * call waits in its key's lane, and the log line names none).
     */
    @Test
    void aBodySlowerThanTheReadAheadIsSentWholeAndAgainFromItsCopy() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client("jetty-12").run(SETTINGS, List.of(), "--url", url(), "--publisher", "slow");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo") && q.get(0).bodyText().endsWith("}"),
                q.get(0).bodyText());
        q.forEach(again -> assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe()));
        assertEquals(2, r.agentLinesContaining("/v1/chat/completions got 429"), r.describe());
    }

    /** Longer than max-replay-bytes, a body is read ahead that far only: it reaches the server whole, once. */
    @Test
    void aBodyLongerThanMaxReplayBytesReachesTheServerWholeAndOnce() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client("jetty-12").run(SETTINGS + ",max-replay-bytes=32", List.of(), "--url", url(),
                "--publisher", "output-stream");
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        String sent = server.requests().get(0).bodyText();
        assertTrue(sent.length() > 32 && sent.contains("h\u00e9llo") && sent.endsWith("}"), sent);
        assertEquals(1, r.agentLinesOf429("not retried because its request body"), r.describe());
        assertEquals(0, r.agentLinesContaining("[m]"), "not read to its end for its model\n" + r.describe());
    }

    /** A body the application fails while the agent reads it ahead fails the call as it does without the agent. */
    @Test
    void aBodyTheApplicationFailsFailsTheCallAsWithoutTheAgent() {
        ChildJvm.Result without = client("jetty-12").run(null, List.of(), "--url", url(), "--publisher", "failing");
        ChildJvm.Result with = client("jetty-12").run(SETTINGS, List.of(), "--url", url(), "--publisher", "failing");
        Outcome expected = Outcome.parse(without.stdout).get(0);
        assertEquals(-1, expected.status, without.describe());
        assertEquals(expected.error, Outcome.parse(with.stdout).get(0).error, with.describe());
    }

    /**
     * A first attempt sent after the application's send returned (here once its body was read as far as 500 ms
     * allowed) is given what is left of the request's timeout (1.2 s): the call ends by then, as without the agent,
     * not 1.2 s after the agent sent it. The server answers after 1.5 s.
     */
    @Test
    void aFirstAttemptSentLaterKeepsToTheRequestsTimeout() {
        server.delayResponses(1500);
        String[] args = {"--url", url(), "--publisher", "slow", "--call-timeout-ms", "1200"};
        ChildJvm.Result without = client("jetty-12").run(null, List.of(), args);
        ChildJvm.Result with = client("jetty-12").run(SETTINGS, List.of(), args);
        for (ChildJvm.Result r : List.of(without, with)) {
            assertTrue(Outcome.parse(r.stdout).get(0).error.contains("TimeoutException"), r.describe());
            assertTrue(elapsedMillis(r) < 1200 + 250, elapsedMillis(r) + " ms\n" + r.describe());
        }
    }

    private static long elapsedMillis(ChildJvm.Result r) {
        for (String line : r.stdout.split("\n")) {
            if (line.startsWith("ELAPSED 0 ")) {
                return Long.parseLong(line.substring("ELAPSED 0 ".length()).trim());
            }
        }
        throw new AssertionError("no ELAPSED line\n" + r.describe());
    }
}
