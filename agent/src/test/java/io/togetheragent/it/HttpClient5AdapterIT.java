package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.RestTemplateProbe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only Apache HttpClient 5 has: classic and async overloads, its connection pools, async futures, and its own
 * default retry strategy, which must not multiply the agent's retries.
 */
class HttpClient5AdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";
    private static final String NEWEST = "httpclient5-newest";

    private ChildJvm.Result run(String libDir, String settings, String how, String... probeArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(probeArgs));
        if (!how.isEmpty()) {
            args.addAll(Arrays.asList(how.split(" ")));
        }
        return ProbeRunner.httpClient5(libDir).run(settings, List.of(), args.toArray(new String[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--handler", "--context", "--variant minimal", "--async --handler", "--async --context",
        "--async --variant minimal"})
    void everyExecuteOverloadAndClientKindIsRetried(String how) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(NEWEST, SETTINGS, how, "--url", url());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    /**
     * An async call from a request producer with a body HttpCore holds in memory (AsyncRequestBuilder's, a
     * BasicAsyncEntityProducer), on the oldest and newest HttpClient 5: its model is read, so one model's cool-down
     * holds back no other's (ClientBehaviourSuite's case, which runs SimpleHttpRequests).
     */
    @ParameterizedTest
    @ValueSource(strings = {"httpclient5-newest", "httpclient5-oldest"})
    void anAsyncProducersCallWaitsInItsModelsLane(String libDir) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        ChildJvm.Result r = run(libDir, SETTINGS + ",max-retries=0", "--async --handler", "--url", url(),
                "--calls", "3", "--alternate-model", "n");
        assertOneModelsCoolDownHeldBackNoOther(r);
    }

    /** The same body identifies the call: a layer above resending it after the agent gave up gets no fresh retries. */
    @Test
    void anAsyncProducersCallResentByALayerAboveGetsNoFreshRetries() {
        enqueue429(10, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(NEWEST, SETTINGS + ",max-retries=1", "--async --handler", "--url", url(),
                "--calls", "2");
        assertEquals(429, Outcome.parse(r.stdout).get(1).status, r.describe());
        // The first call: two attempts; the second, the same call again: one.
        assertEquals(3, server.requestCount(), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--async"})
    void aPoolOfTwoConnectionsServesFiftyRetriedCallsWithoutLeakingOrBlocking(String how) {
        ApachePools.assertNoLeak(server, this::url, args -> run(NEWEST, SETTINGS + ",max-retries=50", how, args));
    }

    /** With the client's default retry strategy on, which also resends 429s that carry Retry-After. */
    @ParameterizedTest
    @CsvSource({"httpclient5-newest,''", "httpclient5-newest,--async", "httpclient5-oldest,''"})
    void withTheClientsOwnRetriesOnACallMeetingK429sReachesTheServerKPlusOneTimes(String libDir, String how) {
        enqueue429(3, Map.of("retry-after", "0"));
        ChildJvm.Result r = run(libDir, SETTINGS, how, "--url", url(), "--client-retries");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(4, server.requestCount(), r.describe());
        assertEquals(3, r.agentLinesOf429("retry"), r.describe());
    }

    @ParameterizedTest
    @CsvSource({"httpclient5-newest,''", "httpclient5-newest,--async", "httpclient5-oldest,''"})
    void withTheClientsOwnRetriesOnACallThatKeepsMeeting429sReachesTheServerMaxRetriesPlusOneTimes(String libDir,
                                                                                                  String how) {
        enqueue429(10, Map.of("retry-after", "0"));
        ChildJvm.Result r = run(libDir, SETTINGS + ",max-retries=2", how, "--url", url(), "--client-retries");
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        // Each of the agent's attempts would otherwise be resent once more by the client: 6.
        assertEquals(3, server.requestCount(), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hosts=example.invalid", "hosts=127.0.0.1,mode=observe"})
    void theClientsOwnRetriesStayAsTheyWereWhereTheAgentDoesNotRetry(String settings) {
        enqueue429(1, Map.of("retry-after", "0"));
        ChildJvm.Result r = run(NEWEST, settings, "", "--url", url(), "--client-retries");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        // The client resent the 429 itself, exactly as without the agent.
        assertEquals(2, server.requestCount(), r.describe());
    }

    @Test
    void asyncWaitsWithoutHoldingAnyThread() throws Exception {
        enqueue429(1, Map.of("retry-after", "1"));
        ChildJvm.Result r = ProbeRunner.httpClient5(NEWEST).runInTheWait(SETTINGS, "--async", "--url", url());
        // The probe looked into the one-second wait as the agent began it.
        assertTrue(r.stdout.contains("SLEEPING_IN_AGENT 0\n"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertTrue(r.stdout.contains("CALLBACKS 1\n"), r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    @Test
    void cancellingTheFutureStopsFurtherAttempts() throws Exception {
        enqueue429(3, Map.of("retry-after", "1"));
        ChildJvm.Result r = ProbeRunner.httpClient5(NEWEST).runInTheWait(SETTINGS, "--async", "--url", url(),
                "--cancel");
        assertTrue(r.stdout.contains("CANCELLED true"), r.describe());
        // The probe waited two more seconds: a retry would have come after one.
        assertEquals(1, server.requestCount(), r.describe());
    }

    @Test
    void springRestTemplateOverHttpComponentsRecovers() {
        enqueue429(2, Map.of("retry-after", "0"));
        ChildJvm.Result r = new ChildJvm().agent(SETTINGS).libs("spring").libs(NEWEST)
                .runMain(RestTemplateProbe.class.getName(), "--url", url(), "--variant", "httpcomponents");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        // Spring builds the client with HttpClient's defaults, its own retry strategy included: still one layer.
        assertEquals(3, server.requestCount(), r.describe());
        assertEquals(2, r.agentLinesOf429("retry"), r.describe());
    }
}
