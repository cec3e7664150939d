package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What only java.net.http has: body publishers, scheduled async waits, cancellable futures, per-attempt timeouts. */
class JdkHttpClientAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private ChildJvm.Result run(String... probeArgs) {
        return ProbeRunner.jdkHttpClient().run(SETTINGS, List.of(), probeArgs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"string", "bytes", "byte-arrays", "file", "input-stream"})
    void everyReplayablePublisherSendsTheSameBytesAgain(String publisher) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("--url", url(), "--publisher", publisher);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        for (RecordedRequest again : q) {
            assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe());
        }
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
    }

    /**
     * Issue 15: a publisher the JDK cannot ask again (Spring's JdkClientHttpRequest uses fromPublisher) is kept as
     * the JDK pulls it, and the copy is sent again: the same bytes each time, though the publisher gives them once.
     * Regression: ofInputStream was taken for one the JDK can ask again, and its retries asked the application's
     * supplier for a new stream; one that hands out the same stream had them sent with an empty body.
     */
    @ParameterizedTest
    @CsvSource({"from-publisher,''", "from-publisher-sized,''", "one-shot,''", "one-shot,--async",
            "input-stream-once,''", "input-stream-once,--async"})
    void aPublisherOfTheApplicationsOwnIsKeptAsSentAndSentAgain(String publisher, String how) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        List<String> args = new java.util.ArrayList<>(List.of("--url", url(), "--publisher", publisher));
        if (!how.isEmpty()) {
            args.add(how);
        }
        ChildJvm.Result r = run(args.toArray(new String[0]));
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
        for (RecordedRequest again : q) {
            assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe());
        }
    }

    /**
     * A publisher of the application's own is read before the call's first turn, so that the call waits in its
     * model's lane, not its key's (Spring's RestClient on the JDK client): ClientBehaviourSuite's
     * oneModelsCoolDownNeverHoldsBackAnothers with such a publisher. Call 0 (model m) gets a 429 with a reset in 3
     * s, handed over at once (max-retries=0); call 1 (model n) goes at once; call 2 (m) waits for the reset.
     */
    @ParameterizedTest
    @CsvSource({"from-publisher,''", "from-publisher,--async", "one-shot,''", "one-shot,--async"})
    void aPublisherOfTheApplicationsOwnWaitsInItsModelsLane(String publisher, String how) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        ChildJvm.Result r = ProbeRunner.jdkHttpClient().run(SETTINGS + ",max-retries=0", List.of(), withHow(how,
                "--url", url(), "--calls", "3", "--alternate-model", "n", "--publisher", publisher));
        assertOneModelsCoolDownHeldBackNoOther(r);
    }

    /**
     * A publisher that has not ended when the agent stops reading ahead (500 ms) goes to the JDK as read and then as
     * it goes on: its call waits in its key's lane, and is sent again from the copy kept as the JDK pulled it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "--async"})
    void aPublisherSlowerThanTheReadAheadIsSentAsPublishedAndAgainFromItsCopy(String how) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(withHow(how, "--url", url(), "--publisher", "slow"));
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo") && q.get(0).bodyText().endsWith("}"),
                q.get(0).bodyText());
        for (RecordedRequest again : q) {
            assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe());
        }
        assertEquals(2, r.agentLinesContaining("/v1/chat/completions got 429"), r.describe());
    }

    /**
     * ofInputStream is not read ahead: it reads the application's stream on the thread that asks it for bytes, here
     * the one calling sendAsync, which fills the pipe only once sendAsync has returned. Kept as sent, it is sent again.
     */
    @Test
    void anInputStreamTheCallerFillsAfterSendAsyncIsNotReadAheadOnItsThread() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("--url", url(), "--publisher", "pipe", "--async");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(2, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
        assertEquals(q.get(0).bodyText(), q.get(1).bodyText(), r.describe());
    }

    /** Longer than max-replay-bytes, the body is read ahead that far only: it reaches the server whole, once. */
    @ParameterizedTest
    @CsvSource({"from-publisher,''", "from-publisher,--async", "one-shot,''", "from-publisher-sized,''"})
    void aPublisherLongerThanMaxReplayBytesReachesTheServerWholeAndOnce(String publisher, String how) {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result with = ProbeRunner.jdkHttpClient().run(SETTINGS + ",max-replay-bytes=32", List.of(),
                withHow(how, "--url", url(), "--publisher", publisher));
        assertEquals(429, Outcome.parse(with.stdout).get(0).status, with.describe());
        assertEquals(1, server.requestCount(), with.describe());
        String sent = server.requests().get(0).bodyText();
        assertTrue(sent.length() > 32 && sent.contains("h\u00e9llo") && sent.endsWith("}"), sent);
        assertEquals(1, with.agentLinesOf429("not retried because its request body"), with.describe());
    }

    /**
     * A publisher that fails, or publishes more or less than it declared, fails the call as it does without the
     * agent: the JDK's subscriber meets the same bytes and the same end.
     */
    @ParameterizedTest
    @CsvSource({"failing,''", "failing,--async", "declared-longer,''", "declared-longer,--async",
            "declared-shorter,''", "declared-shorter,--async"})
    void aPublisherThatFailsOrMisstatesItsLengthFailsExactlyAsWithoutTheAgent(String publisher, String how) {
        String[] args = withHow(how, "--url", url(), "--publisher", publisher);
        ChildJvm.Result without = ProbeRunner.jdkHttpClient().run(null, List.of(), args);
        ChildJvm.Result with = run(args);
        Outcome expected = Outcome.parse(without.stdout).get(0);
        assertEquals(-1, expected.status, without.describe());
        assertEquals(withoutThreadName(expected.error), withoutThreadName(Outcome.parse(with.stdout).get(0).error),
                with.describe());
    }

    /**
     * The JDK names the thread that met the failure: one of the application's executor's, or, where the JDK's
     * subscriber happened to run the flow on the calling thread, that one ({@code [main]}, met once on Java 25
     * without the agent): a race inside the JDK, with or without the agent; the rest of the message is the same.
     */
    private static String withoutThreadName(String error) {
        return error == null ? null
                : error.replaceAll("SocketTube\\((\\d+)\\) \\[[^\\]]+\\]", "SocketTube($1) [a thread]");
    }

    private static String[] withHow(String how, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        if (!how.isEmpty()) {
            all.add(how);
        }
        return all.toArray(new String[0]);
    }

    @Test
    void sendAsyncWaitsWithoutHoldingAnyThread() throws Exception {
        enqueue429(1, Map.of("retry-after", "1"));
        ChildJvm.Result r = ProbeRunner.jdkHttpClient().runInTheWait(SETTINGS, "--url", url(), "--async");
        // The probe looked into the one-second wait as the agent began it.
        assertTrue(r.stdout.contains("SLEEPING_IN_AGENT 0\n"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertTrue(r.stdout.contains("CALLBACKS 1\n"), r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    @Test
    void cancellingTheFutureStopsFurtherAttempts() throws Exception {
        enqueue429(3, Map.of("retry-after", "1"));
        ChildJvm.Result r = ProbeRunner.jdkHttpClient().runInTheWait(SETTINGS, "--url", url(), "--async", "--cancel");
        assertTrue(r.stdout.contains("CANCELLED true"), r.describe());
        // The probe waited two more seconds: a retry would have come after one.
        assertEquals(1, server.requestCount(), r.describe());
    }

    @Test
    void retriesWithinTheRequestTimeout() {
        enqueue429(2, Map.of("retry-after-ms", "250"));
        ChildJvm.Result r = run("--url", url(), "--call-timeout-ms", "3000");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    /**
     * Regression (issue 13): {@code HttpRequest.timeout()} bounded each attempt only, so a call with a 5 s timeout
     * waited out a 30 s hint; and the next call was held for the cool-down.
     */
    @Test
    void theRequestTimeoutBoundsTheWholeCallAndNoCallWaitsPastIt() {
        server.enqueue(429, Map.of("retry-after", "30", "x-test", "long"), BODY_429);
        ChildJvm.Result r = run("--url", url(), "--call-timeout-ms", "5000", "--calls", "2");
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals("long", outcomes.get(0).testHeader, r.describe());
        assertEquals(200, outcomes.get(1).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(2, q.size(), r.describe());
        assertTrue(q.get(1).receivedNanos - q.get(0).receivedNanos < 5_000_000_000L, r.describe());
    }

    @Test
    void aBodyLongerThanMaxReplayBytesIsNotReadForItsModel() {
        assertABodyLongerThanMaxReplayBytesIsNotReadForItsModel(ProbeRunner.jdkHttpClient(), SETTINGS);
    }
}
