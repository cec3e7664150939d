package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.RestTemplateProbe;
import io.togetheragent.it.probe.UrlConnectionProbe;
import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only HttpURLConnection has: its methods, streaming modes, TLS settings and state-machine traps. */
class UrlConnectionAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private ChildJvm.Result run(String settings, String... probeArgs) {
        return ProbeRunner.urlConnection().run(settings, List.of(), probeArgs);
    }

    private void assertAllAttemptsAlike(ChildJvm.Result r, int attempts, String method) {
        List<RecordedRequest> q = server.requests();
        assertEquals(attempts, q.size(), r.describe());
        for (RecordedRequest again : q) {
            assertEquals(method, again.method, r.describe());
            assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe());
            assertEquals(q.get(0).headers.get("authorization"), again.headers.get("authorization"), r.describe());
            assertEquals(q.get(0).headers.get("x-multi"), again.headers.get("x-multi"), r.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE"})
    void everyMethodIsRetriedWithItsMethodHeadersAndBody(String method) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(SETTINGS, "--url", url(), "--method", method);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertAllAttemptsAlike(r, 3, method);
        assertTrue(r.stdout.contains("CLASS io.togetheragent.urlconnection.RetryingUrlConnection https=false"),
                r.describe());
    }

    /** Regression: the agent's connection was an HttpsURLConnection for plain http too, which loads TLS. */
    @Test
    void aPlainHttpCallLoadsNoTls() {
        ChildJvm.Result r = retriedOnceLoggingClassLoads();
        assertTrue(r.stdout.contains("CLASS io.togetheragent.urlconnection.RetryingUrlConnection"), r.describe());
        assertTrue(r.stdout.contains(" java.net.HttpURLConnection "), "the class-load log is read: " + r.describe());
        assertFalse(r.stdout.contains(" sun.security.ssl.SSLContextImpl "), r.describe());
    }

    /**
     * Regression: a key's redacted form (its SHA-256) was made on every first request, lane and 429 whether or not
     * a line showed it, and loading the JDK's security providers for it cost a plain-http JVM 0.6 MB at start.
     */
    @Test
    void aTogetherCallThatLogsNoKeyLoadsNoSecurityProvider() {
        ChildJvm.Result r = retriedOnceLoggingClassLoads();
        assertTrue(r.stdout.contains(" io.togetheragent.core.keys.KeyCheck "), "the key was checked: " + r.describe());
        assertFalse(r.stdout.contains(" sun.security.provider.Sun "), r.describe());
    }

    /** One call, a 429 then a 200, in a JVM that logs each class it loads (to stdout). */
    private ChildJvm.Result retriedOnceLoggingClassLoads() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = new ChildJvm().agent(SETTINGS).testClasses().option("-Xlog:class+load=info")
                .runMain(UrlConnectionProbe.class.getName(), "--url", url());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed", "chunked"})
    void aStreamedBodyWithinMaxReplayBytesIsSentAgain(String streaming) {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(SETTINGS, "--url", url(), "--streaming", streaming);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertAllAttemptsAlike(r, 2, "POST");
        assertTrue(server.requests().get(1).bodyText().contains("h\u00e9llo"), r.describe());
    }

    /**
     * Regression: in a streaming mode the JDK sends the headers as the body is opened, but the first attempt waited
     * its turn only when the response was asked for, after the request had gone: a streamed call went out into a lane
     * cooling down (through a limit of 10 requests/s, 30 calls from 6 threads drew 5 and 6 429s where a buffered body
     * draws one; Feign, which streams every body, likewise). Call 0 gets a 429 with a reset in 1 s, handed over at
     * once (max-retries=0); call 1 must not reach the server before that reset.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fixed", "chunked"})
    void aStreamedBodysFirstAttemptWaitsItsTurnBeforeTheHeadersGo(String streaming) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "1"), BODY_429);
        ChildJvm.Result r = run(SETTINGS + ",max-retries=0", "--url", url(), "--calls", "2", "--streaming", streaming);
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(List.of(429, 200), List.of(outcomes.get(0).status, outcomes.get(1).status), r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(2, q.size(), r.describe());
        assertTrue(q.get(1).receivedNanos >= q.get(0).receivedNanos + TimeUnit.SECONDS.toNanos(1),
                "the second call waited for the reset\n" + r.describe());
    }

    /**
     * A streamed body is held until it is whole, so that its request waits its turn in its model's lane, not its key's:
     * ClientBehaviourSuite's oneModelsCoolDownNeverHoldsBackAnothers with every body streamed. Call 0 (model m) gets
     * a 429 with a reset in 3 s, handed over at once (max-retries=0); call 1 (model n) goes at once; call 2 (m) waits
     * for the reset.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fixed", "chunked"})
    void aStreamedBodyWaitsInItsModelsLane(String streaming) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        ChildJvm.Result r = run(SETTINGS + ",max-retries=0", "--url", url(), "--calls", "3", "--alternate-model", "n",
                "--streaming", streaming);
        assertOneModelsCoolDownHeldBackNoOther(r);
    }

    @Test
    void getOutputStreamTurnsGetIntoPostOnEveryAttempt() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(SETTINGS, "--url", url(), "--trap", "output-stream-turns-get-into-post");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertAllAttemptsAlike(r, 2, "POST");
    }

    @Test
    void writingAfterReadingFailsExactlyAsWithoutTheAgent() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result with = run(SETTINGS, "--url", url(), "--trap", "write-after-read");
        ChildJvm.Result without = run(null, "--url", url(), "--trap", "write-after-read");
        String trap = trapLine(without);
        assertTrue(trap.startsWith("TRAP java.net.ProtocolException"), without.describe());
        assertEquals(trap, trapLine(with), with.describe());
        assertEquals(200, Outcome.parse(with.stdout).get(0).status, with.describe());
    }

    /**
     * Spring's request factory connects before it opens the body. Held for its turn, a connection the JDK took from its
     * keep-alive cache may be closed by the server as it idles, and the JDK never sends a streamed body again: after a
     * wait the agent sends it on a fresh connection, set up alike. The server closes connections idle for 300 ms;
     * call 0's 429 closes the lane for 1 s, which holds call 1.
     */
    @Test
    void aStreamedBodyHeldAfterTheApplicationConnectedGoesOnAFreshConnection() throws Exception {
        try (FaultServer faults = new FaultServer().closingIdleConnectionsAfter(300)) {
            faults.then(FaultServer.Reply.status(429, BODY_429, "x-ratelimit-reset: 1"));
            ChildJvm.Result r = run(SETTINGS + ",max-retries=0", "--url", faults.url(), "--calls", "2",
                    "--streaming", "fixed", "--trap", "connect-first");
            List<Outcome> outcomes = Outcome.parse(r.stdout);
            assertEquals(List.of(429, 200), List.of(outcomes.get(0).status, outcomes.get(1).status), r.describe());
            assertEquals(2, faults.received().size(), r.describe());
            assertTrue(faults.received().get(1).whole, r.describe());
        }
    }

    /**
     * A held streamed body (see aStreamedBodyWaitsInItsModelsLane) fails where and as the JDK's own stream fails when
     * the application writes less or more than it declared, or writes after closing: the JDK's stream, opened as the
     * body goes, throws its own exceptions.
     */
    @ParameterizedTest
    @ValueSource(strings = {"streamed-short", "streamed-long", "streamed-write-after-close"})
    void aStreamedBodyWrittenWronglyFailsExactlyAsWithoutTheAgent(String trap) {
        ChildJvm.Result with = run(SETTINGS, "--url", url(), "--trap", trap);
        ChildJvm.Result without = run(null, "--url", url(), "--trap", trap);
        List<String> expected = trapLines(without);
        assertTrue(expected.size() >= 4 && expected.stream().anyMatch(l -> l.contains("IOException")),
                without.describe());
        assertEquals(expected, trapLines(with), with.describe());
    }

    private static List<String> trapLines(ChildJvm.Result r) {
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("TRAP .*").matcher(r.stdout);
        while (m.find()) {
            lines.add(m.group());
        }
        return lines;
    }

    private static String trapLine(ChildJvm.Result r) {
        List<String> lines = trapLines(r);
        assertFalse(lines.isEmpty(), r.describe());
        return lines.get(0);
    }

    @Test
    void followRedirectsFalseIsCarriedToTheRetry() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        server.enqueue(302, Map.of("Location", "/v1/elsewhere", "x-test", "redirect"), "");
        ChildJvm.Result r = run(SETTINGS, "--url", url(), "--trap", "no-redirects");
        // Followed, the redirect would have been a third request and a 200.
        assertEquals(302, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    @Test
    void aFailureWhilePreparingARetryHandsOverTheLastAnswer() {
        enqueue429(2, Map.of("retry-after-ms", "10", "x-test", "first"));
        ChildJvm.Result r = ProbeRunner.urlConnection().run(SETTINGS,
                List.of("-Dtogether.agent.internal.fault=replay"), "--url", url(), "--calls", "2");
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals("first", outcomes.get(0).testHeader, r.describe());
        assertEquals(BODY_429, outcomes.get(0).body, r.describe());
        assertEquals(429, outcomes.get(1).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("ERROR internal error in retrying an HttpURLConnection"), r.describe());
    }

    @Test
    void askingForTheResponseAgainSendsNothingMore() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(SETTINGS, "--url", url(), "--trap", "many-response-codes");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    @Test
    void disconnectDuringTheWaitStopsRetrying() {
        enqueue429(2, Map.of("retry-after", "2", "x-test", "first"));
        ChildJvm.Result r = run(SETTINGS, "--url", url(), "--trap", "disconnect-during-wait");
        assertTrue(r.stdout.contains("DISCONNECTED"), r.describe());
        // The call ends with the answer it had and is not retried.
        Outcome o = Outcome.parse(r.stdout).get(0);
        assertEquals(429, o.status, r.describe());
        assertEquals(BODY_429, o.body, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
    }

    @Test
    void theApplicationsTlsSettingsAreCarriedToEveryAttempt() throws Exception {
        try (StandIn https = StandIn.start(0, 1, null, TestTls.serverContext())) {
            https.enqueue(429, Map.of("retry-after-ms", "10"), BODY_429);
            https.enqueue(429, Map.of("retry-after-ms", "10"), BODY_429);
            // No JVM-wide trust store: only the application's own SSLSocketFactory trusts the stand-in.
            ChildJvm.Result r = new ChildJvm().agent("").testClasses().option(TestTls.hostsOption())
                    .runMain(UrlConnectionProbe.class.getName(),
                            "--url", "https://api.together.xyz:" + https.port() + "/v1/chat/completions",
                            "--ssl-trust", TestTls.trustStore());
            assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
            assertEquals(3, https.requestCount(), r.describe());
            assertTrue(r.stdout.contains("CIPHER TLS_"), r.describe());
            assertTrue(r.stdout.contains("CLASS io.togetheragent.urlconnection.RetryingHttpsUrlConnection https=true"),
                    r.describe());
        }
    }

    @Test
    void springRestTemplateWithItsDefaultRequestFactoryRecovers() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = new ChildJvm().agent(SETTINGS).libs("spring")
                .runMain(RestTemplateProbe.class.getName(), "--url", url());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    /**
     * Spring's RestTemplate on its default request factory streams every body (from Spring 6.1), connecting first,
     * through the frameworks' acceptance run. Without the agent 6 and 7 of 30 succeed (23 and 24 429s); with it all
     * 30, drawing one 429 (5 and 6 before its streamed bodies were held for their turn: a first round's race under
     * load can draw a few, which the run allows, so aStreamedBodysFirstAttemptWaitsItsTurnBeforeTheHeadersGo is
     * what tells the two apart).
     */
    @Test
    void springRestTemplateWithItsDefaultRequestFactorySucceedsThroughARateLimit() throws Exception {
        ThroughARateLimit.run("spring", RestTemplateProbe.class, "--answer-text");
    }
}
