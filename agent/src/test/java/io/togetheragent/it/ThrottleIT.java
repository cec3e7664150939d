package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Beyond retrying (issue 7): the cool-down gate, adaptive pacing, max-concurrent, the retry budget and no nested
 * retry storms; through OkHttp 5 (the OpenAI SDK's client) and the OpenAI Java SDK itself, counted at the stand-in.
 */
class ThrottleIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=20ms";
    private static final String OTHER_KEY = "tgp_v1_otherKeyForTheLaneTest00000000000000000000000";

    private ChildJvm.Result okHttp(String settings, String... args) {
        return ProbeRunner.okHttp("okhttp-5").run(SETTINGS + (settings.isEmpty() ? "" : "," + settings), List.of(),
                args);
    }

    private static long statusCount(ChildJvm.Result r, int status) {
        return Outcome.parse(r.stdout).stream().filter(o -> o.status == status).count();
    }

    /** After a 429, the other threads' next sends wait for the reset the server announced, not only the one retried. */
    @Test
    void aCoolDownHoldsEveryThreadsSendsUntilTheServersReset() {
        server.enqueue(429, Map.of("x-ratelimit-reset", "6"), BODY_429);
        // Call 0 meets the 429 alone; the other threads start their calls 3 s later, inside the cool-down. (With 1.5 s,
        // a JVM's first answer, on a loaded CI machine, once came back after the other threads had sent.)
        ChildJvm.Result r = okHttp("", "--url", url(), "--calls", "24", "--threads", "4", "--first-alone-ms", "3000");
        assertEquals(24, statusCount(r, 200), r.describe());
        List<RecordedRequest> requests = server.requests();
        long limited = requests.get(0).receivedNanos;
        long reset = limited + TimeUnit.SECONDS.toNanos(6);
        long duringCoolDown = requests.stream().filter(q -> q.receivedNanos > limited && q.receivedNanos < reset)
                .count();
        // Without the gate the other threads would send their 23 calls at once, 1.5 s into the cool-down.
        assertEquals(0, duringCoolDown, duringCoolDown + " requests during the cool-down\n" + r.describe());
        assertEquals(25, requests.size(), r.describe());
    }

    /**
     * Asynchronous clients wait out a cool-down on the agent's scheduler, holding no thread: the retry's own delay
     * is 10 ms (retry-after-ms), but the server announced its reset in 3 s, and the retry waits for that.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdk", "httpclient5-async"})
    void asyncClientsWaitOutACoolDownHoldingNoThread(String client) throws Exception {
        server.enqueue(429, Map.of("retry-after-ms", "10", "x-ratelimit-reset", "3"), BODY_429);
        ProbeRunner runner = client.equals("jdk") ? ProbeRunner.jdkHttpClient()
                : ProbeRunner.httpClient5Async("httpclient5-newest");
        ChildJvm.Result r = runner.runInTheWait(SETTINGS, "--url", url(), "--async");
        assertTrue(r.stdout.contains("SLEEPING_IN_AGENT 0\n"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> requests = server.requests();
        assertEquals(2, requests.size(), r.describe());
        assertTrue(requests.get(1).receivedNanos - requests.get(0).receivedNanos >= TimeUnit.SECONDS.toNanos(3),
                r.describe());
    }

    @Test
    void oneKeysCoolDownNeverSlowsAnotherKey() {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        // Call 0 (the first key) meets the 429 alone; the others, half of them on the other key, start after it.
        ChildJvm.Result r = okHttp("", "--url", url(), "--calls", "20", "--threads", "20",
                "--alternate-key", OTHER_KEY, "--first-alone-ms", "500");
        assertEquals(20, statusCount(r, 200), r.describe());
        List<RecordedRequest> requests = server.requests();
        RecordedRequest first = requests.get(0);
        long reset = first.receivedNanos + TimeUnit.SECONDS.toNanos(3);
        Map<Boolean, Long> duringCoolDown = requests.stream()
                .filter(q -> q.receivedNanos > first.receivedNanos && q.receivedNanos < reset)
                .collect(Collectors.partitioningBy(
                        q -> q.headers.get("authorization").equals(first.headers.get("authorization")),
                        Collectors.counting()));
        assertEquals(0, duringCoolDown.get(true), duringCoolDown + "\n" + r.describe());
        assertEquals(10, duringCoolDown.get(false), "the other key's calls went on: " + duringCoolDown + "\n"
                + r.describe());
    }

    /** Against a limit of 20 requests/s, 120 calls from 16 threads: paced, few 429s; unpaced, one or more per call. */
    @Test
    void pacingStaysUnderTheRateTheServerShows() throws Exception {
        long paced;
        long unpaced;
        try (StandIn limited = StandIn.start(20, 5, null)) {
            ChildJvm.Result r = okHttp("", "--url", limited.url() + "/v1/chat/completions", "--calls", "120",
                    "--threads", "16");
            assertEquals(120, statusCount(r, 200), r.describe());
            paced = limited.count(429);
        }
        try (StandIn limited = StandIn.start(20, 5, null)) {
            ChildJvm.Result r = okHttp("throttle=off,retry-budget=off,max-retries=30", "--url",
                    limited.url() + "/v1/chat/completions", "--calls", "120", "--threads", "16");
            assertEquals(120, statusCount(r, 200), r.describe());
            unpaced = limited.count(429);
        }
        assertTrue(paced <= 0.25 * 120, paced + " 429s paced");
        assertTrue(unpaced >= 3 * paced, paced + " 429s paced, " + unpaced + " unpaced");
    }

    /**
     * Issue 14: bound by tokens (40 requests/s allowed, but 400 tokens/s and some 102 tokens a request), 24 calls from
     * 8 threads keep to the token limit: past the first calls, sent before the server showed any limit, hardly a 429.
     * Without the token pace the request pace would send them at 39 a second, and the most of them would meet one.
     */
    @Test
    void pacingKeepsToTheTokenLimit() throws Exception {
        String body = "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        try (StandIn limited = StandIn.start(0, 1, null).limitModel("m", 40, 40, 400, 400)) {
            ChildJvm.Result r = okHttp("", "--url", limited.url() + "/v1/chat/completions", "--calls", "24",
                    "--threads", "8", "--body", body);
            assertEquals(24, statusCount(r, 200), r.describe());
            assertTrue(limited.count(429) <= 8, limited.count(429) + " 429s\n" + r.describe());
            assertTrue(r.agentLinesContaining("[m] got 429 (token limit): retry") >= 1, r.describe());
        }
    }

    /** Traffic Together never limits (no headers, no 429s) is never held back: the summary counts no send held. */
    @Test
    void trafficNeverLimitedIsNeverHeldBack() {
        ChildJvm.Result r = okHttp("summary-interval=1s,max-concurrent=64", "--url", url(), "--calls", "60",
                "--threads", "8", "--linger-ms", "1500");
        assertEquals(60, statusCount(r, 200), r.describe());
        assertTrue(r.agentLinesContaining(": 60 calls") + r.agentLinesContaining(" calls, 0 rate-limited") >= 1,
                r.describe());
        assertEquals(0, r.agentLinesContaining("held back"), r.describe());
    }

    @Test
    void maxConcurrentCapsRequestsInFlight() {
        server.delayResponses(200);
        ChildJvm.Result r = okHttp("max-concurrent=2", "--url", url(), "--calls", "16", "--threads", "8");
        assertEquals(16, statusCount(r, 200), r.describe());
        assertEquals(2, server.mostInFlight(), r.describe());
    }

    @Test
    void withoutMaxConcurrentTheThreadsRunTogether() {
        server.delayResponses(200);
        ChildJvm.Result r = okHttp("", "--url", url(), "--calls", "16", "--threads", "8");
        assertEquals(16, statusCount(r, 200), r.describe());
        assertTrue(server.mostInFlight() >= 4, server.mostInFlight() + " at once\n" + r.describe());
    }

    /** A call that waited max-wait for its place proceeds anyway: the cap never fails a call. */
    @Test
    void aCallThatWaitedMaxWaitForItsPlaceProceedsAnyway() {
        server.delayResponses(1500);
        ChildJvm.Result r = okHttp("max-concurrent=1,max-wait=300ms", "--url", url(), "--calls", "3", "--threads",
                "3");
        assertEquals(3, statusCount(r, 200), r.describe());
        assertTrue(server.mostInFlight() >= 2, server.mostInFlight() + " at once\n" + r.describe());
    }

    /** In an outage (503s without end), retries are at most 20 % of the calls plus the floor of 10, said once. */
    @Test
    void theRetryBudgetBoundsAnOutagesLoad() {
        for (int i = 0; i < 400; i++) {
            server.enqueue(503, Map.of(), "{\"error\":{\"message\":\"engine overloaded\"}}");
        }
        ChildJvm.Result r = okHttp("base-delay=1ms,max-delay=5ms", "--url", url(), "--calls", "30",
                "--distinct-bodies");
        assertEquals(30, statusCount(r, 503), r.describe());
        // Without the budget: 30 calls x 9 attempts = 270 requests.
        assertTrue(server.requestCount() <= 30 + 10 + 6, server.requestCount() + " requests\n" + r.describe());
        assertTrue(server.requestCount() >= 30 + 10, server.requestCount() + " requests\n" + r.describe());
        assertEquals(1, r.agentLinesContaining("the retry budget is spent"), r.describe());
    }

    /**
     * The OpenAI Java SDK retries twice on its own, numbering its attempts in X-Stainless-Retry-Count. With the agent
     * at max-retries=2, a call meeting nothing but 429s reaches the server 2 + 1 + 2 = 5 times, not 3 x 3 = 9.
     */
    @Test
    void anSdksOwnRetriesGetNoFreshSetOfAgentRetries() {
        ChildJvm.Result r = oneOpenAiSdkCallMeeting429s("max-retries=2");
        assertTrue(r.stdout.contains("RESULT ok=0"), r.describe());
        List<String> attempts = server.requests().stream().map(q -> q.headers.get("x-stainless-retry-count"))
                .collect(Collectors.toList());
        assertEquals(List.of("0", "0", "0", "1", "2"), attempts, r.describe());
        assertEquals(1, r.agentLinesContaining("a retry layer above the client sends again"), r.describe());
    }

    /** The SDK's own retries still work where the agent is not the one retrying (observe mode). */
    @Test
    void inObserveModeTheSdkRetriesAsWithoutTheAgent() {
        ChildJvm.Result r = oneOpenAiSdkCallMeeting429s("mode=observe");
        assertTrue(r.stdout.contains("RESULT ok=0"), r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    /** One call through the OpenAI Java SDK with its default retries on, against a stand-in answering only 429s. */
    private ChildJvm.Result oneOpenAiSdkCallMeeting429s(String settings) {
        enqueue429(20, Map.of("retry-after-ms", "20"));
        return new ChildJvm().agent(SETTINGS + "," + settings).openAiSdk().runMain("io.togetheragent.bench.OpenAiLoad",
                "http://127.0.0.1:" + server.port(), StandIn.DEMO_KEY, "default", "now", "m:1:1");
    }
}
