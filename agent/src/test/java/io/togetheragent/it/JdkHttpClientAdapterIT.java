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
     */
    @ParameterizedTest
    @CsvSource({"from-publisher,''", "from-publisher-sized,''", "one-shot,''", "one-shot,--async"})
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
