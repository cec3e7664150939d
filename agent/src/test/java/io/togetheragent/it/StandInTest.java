package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh Together stand-in on loopback for each test: no rate limit, any key accepted, answers scriptable. Over
 * HTTPS it is {@code api.together.xyz}, resolved to loopback and trusted by the child JVMs (see {@link TestTls}).
 */
abstract class StandInTest {
    static final String BODY_429 = "{\"error\":{\"message\":\"Rate limit exceeded\","
            + "\"type\":\"dynamic_request_limited\",\"param\":null,\"code\":null}}";

    protected StandIn server;

    /** Whether the stand-in serves HTTPS as Together's own host name. */
    protected boolean https() {
        return false;
    }

    @BeforeEach
    void startServer() throws Exception {
        server = StandIn.start(0, 1, null, https() ? TestTls.serverContext() : null);
    }

    /** The host name the clients call. */
    protected String host() {
        return https() ? "api.together.xyz" : "127.0.0.1";
    }

    /** What a child JVM needs to reach the stand-in. */
    protected List<String> clientOptions() throws Exception {
        return https() ? TestTls.clientOptions() : List.of();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    protected String url() {
        return (https() ? "https://" : "http://") + host() + ":" + server.port() + "/v1/chat/completions";
    }

    protected void enqueue429(int times, Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            server.enqueue(429, headers, BODY_429);
        }
    }

    /**
     * The call's own timeout (1.5 s, set by the probe's {@code --call-timeout-ms}) leaves no room for the server's
     * 2 s: no wait is begun, and the application gets the first 429 as it came.
     */
    protected void assertTheCallsTimeoutBoundsTheWaits(ProbeRunner client, String settings) {
        enqueue429(3, Map.of("retry-after", "2", "x-test", "first"));
        ChildJvm.Result r = client.run(settings, List.of(), "--url", url(), "--call-timeout-ms", "1500");
        Outcome o = Outcome.parse(r.stdout).get(0);
        assertEquals(429, o.status, r.describe());
        assertEquals("first", o.testHeader, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("too little of the call's own timeout"), r.describe());
    }

    /**
     * {@code max-concurrent=2} holds 16 calls from 8 threads, two of whose answers are 429s, to two in flight: each
     * attempt's place goes back with its answer, taken by the agent or not.
     */
    protected void assertMaxConcurrentHoldsTwoInFlight(ProbeRunner client, String settings) {
        server.delayResponses(200);
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client.run(settings + ",max-concurrent=2", List.of(), "--url", url(),
                "--calls", "16", "--threads", "8");
        assertEquals(16, Outcome.parse(r.stdout).stream().filter(o -> o.status == 200).count(), r.describe());
        assertEquals(18, server.requestCount(), r.describe());
        assertEquals(2, server.mostInFlight(), r.describe());
    }

    /**
     * A body longer than max-replay-bytes (32 here) is not written once more into memory for the model it names (a
     * file upload would be, on every call), where the client could write it again: the call goes in the key's lane,
     * and is retried all the same.
     */
    protected void assertABodyLongerThanMaxReplayBytesIsNotReadForItsModel(ProbeRunner client, String settings) {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = client.run(settings + ",max-replay-bytes=32", List.of(), "--url", url());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        assertEquals(server.requests().get(0).bodyText(), server.requests().get(1).bodyText(), r.describe());
        assertEquals(1, r.agentLinesContaining("/v1/chat/completions got 429"), r.describe());
        assertEquals(0, r.agentLinesContaining("[m]"), r.describe());
    }

    /**
     * ClientBehaviourSuite's oneModelsCoolDownNeverHoldsBackAnothers for a client whose bodies need more than the
     * suite's run: three calls through max-retries=0 with --alternate-model n, after a 429 for model m whose reset is
     * in 3 s. Call 1 (model n) went at once; call 2 (m) waited for the reset.
     */
    protected void assertOneModelsCoolDownHeldBackNoOther(ChildJvm.Result r) {
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(List.of(429, 200, 200), List.of(outcomes.get(0).status, outcomes.get(1).status,
                outcomes.get(2).status), r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(1).bodyText().contains("\"model\":\"n\""), r.describe());
        assertTrue(q.get(1).receivedNanos < q.get(0).receivedNanos + TimeUnit.SECONDS.toNanos(2),
                "model n did not wait for m's reset\n" + r.describe());
        assertTrue(q.get(2).receivedNanos >= q.get(0).receivedNanos + TimeUnit.SECONDS.toNanos(3),
                "model m waited for its reset\n" + r.describe());
        assertEquals(1, r.agentLinesContaining("/v1/chat/completions [m] got 429"), r.describe());
    }
}
