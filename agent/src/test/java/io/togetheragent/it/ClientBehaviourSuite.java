package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.togetheragent.it.probe.ProbeArgs;
import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviours every client adapter must show, proved with the packaged agent attached to a child JVM that
 * runs the client, and counted at the Together stand-in. Each adapter's test class runs this whole suite.
 */
public abstract class ClientBehaviourSuite extends StandInTest {
    /** The client under test. */
    protected abstract ProbeRunner client();

    /** Whether the client has an asynchronous API the probe can use ({@code --async}). */
    protected boolean hasAsync() {
        return true;
    }

    /** Whether the adapter reads error bodies for the key check (Together's message in the 401 line). */
    protected boolean readsErrorBodies() {
        return true;
    }

    /**
     * Whether the adapter sends the key trimmed with {@code key-repair=trim}: not where a request cannot be changed
     * before it goes (java.net.http), which only checks it.
     */
    protected boolean repairsKeys() {
        return true;
    }

    /**
     * Whether the adapter can tell the core the request's body, so that a resend of the same call by a retry layer
     * above is recognised without an SDK's attempt number.
     */
    protected boolean identifiesBodies() {
        return true;
    }

    /**
     * The most connections the four attempts of one call may use: one, as each discarded answer's connection goes
     * back to the pool. Reactor Netty returns a connection only once it has also seen the end of the request go
     * out, which for an application's body publisher can come after the answer, so the first attempt's connection
     * may be back only after the second attempt took another (and without the agent Reactor Netty even closes
     * such a connection now and then: 4 of 30 follow-up calls went on a new one).
     */
    protected int mostConnectionsForFourAttempts() {
        return 1;
    }

    /**
     * Whether the adapter sends a call's retries from the agent's scheduler thread (with {@code --async} where the
     * client has an asynchronous API): there a failure of the agent's must end the call, never leave it hanging.
     */
    protected boolean schedulesRetries() {
        return false;
    }

    /**
     * Whether a call's waits happen on the thread that made it (a blocking call), rather than being scheduled; the
     * asynchronous adapters and Jetty's, which schedule every wait, have no thread waiting in the agent to look at.
     */
    protected boolean waitsOnTheCallingThread() {
        return !schedulesRetries();
    }

    /** The agent's settings for the stand-in, plus any given. */
    protected String settings(String... more) {
        List<String> s = new ArrayList<>(List.of("hosts=" + host(), "base-delay=50ms"));
        s.addAll(Arrays.asList(more));
        return String.join(",", s);
    }

    protected ChildJvm.Result run(String agentArgs, String... probeArgs) {
        return run(agentArgs, List.of(), probeArgs);
    }

    protected ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs) {
        try {
            List<String> options = new ArrayList<>(clientOptions());
            options.addAll(jvmOptions);
            return client().run(agentArgs, options, probeArgs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static List<Outcome> outcomes(ChildJvm.Result r) {
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertTrue(!outcomes.isEmpty(), "the probe reported no call\n" + r.describe());
        return outcomes;
    }

    @Test
    void recoversAfterRepeated429sWithExactlyOneRequestPerAttempt() {
        enqueue429(3, Map.of("retry-after-ms", "20"));
        ChildJvm.Result r = run(settings(), "--url", url());
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        assertEquals(4, server.requestCount(), r.describe());
        assertEquals(3, r.agentLinesOf429("retry"), r.describe());
    }

    /**
     * An application loop (or Spring Retry) sending the same call again after the agent gave up on it gets no fresh
     * set of retries: 2 + 1 requests, not 2 + 2.
     */
    @Test
    void aRetryLayerAboveResendingTheSameCallGetsNoFreshRetries() {
        enqueue429(10, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings("max-retries=1"), "--url", url(), "--calls", "2");
        assertEquals(429, outcomes(r).get(1).status, r.describe());
        assertEquals(identifiesBodies() ? 3 : 4, server.requestCount(), r.describe());
    }

    @Test
    void resendsTheSameRequestByteForByte() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings(), "--url", url(), "--header", "X-Custom:kept");
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        List<RecordedRequest> requests = server.requests();
        assertEquals(3, requests.size(), r.describe());
        RecordedRequest first = requests.get(0);
        assertTrue(first.bodyText().contains("h\u00e9llo \u2603"), first.bodyText());
        for (RecordedRequest again : requests) {
            assertEquals("POST", again.method);
            assertEquals("/v1/chat/completions", again.path);
            assertEquals(first.bodyText(), again.bodyText());
            assertEquals(first.headers.get("authorization"), again.headers.get("authorization"));
            assertEquals("kept", again.headers.get("x-custom"));
        }
    }

    @Test
    void releasesEachDiscardedResponseSoItsConnectionIsReused() {
        enqueue429(3, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings(), "--url", url(), "--calls", "2");
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(5, q.size(), r.describe());
        // A discarded answer left open would hold its connection, and each attempt would need a new one. Only the
        // first call's attempts are counted: an asynchronous client hands its connection back after completing the
        // future, so the application's next call may race it to the pool (seen once with HttpClient 5 async).
        long connections = q.subList(0, 4).stream().map(request -> request.clientPort).distinct().count();
        assertTrue(connections <= mostConnectionsForFourAttempts(), connections + " connections for 4 attempts\n"
                + r.describe());
    }

    @Test
    void neverWaitsLessThanTheServerAsked() {
        server.enqueue(429, Map.of("retry-after-ms", "300"), BODY_429);
        server.enqueue(429, Map.of("retry-after", "0.5"), BODY_429);
        server.enqueue(503, Map.of("x-ratelimit-reset", "0.4"), "{\"error\":{\"message\":\"overloaded\"}}");
        ChildJvm.Result r = run(settings(), "--url", url());
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(4, q.size(), r.describe());
        long[] asked = {300, 500, 400};
        for (int i = 0; i < asked.length; i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(q.get(i + 1).receivedNanos - q.get(i).receivedNanos);
            assertTrue(gap >= asked[i], "wait " + (i + 1) + " took " + gap + " ms\n" + r.describe());
        }
        assertEquals(1, r.agentLinesContaining("(retry-after-ms)"), r.describe());
        assertEquals(1, r.agentLinesContaining("(retry-after)"), r.describe());
        assertEquals(1, r.agentLinesContaining("got 503: retry 3 of 8"), r.describe());
    }

    @Test
    void backsOffWithoutAHint() {
        server.enqueue(503, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}");
        ChildJvm.Result r = run(settings(), "--url", url());
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("(backoff)"), r.describe());
    }

    @Test
    void givesUpWithinMaxWaitAndHandsOverTheLast429Unchanged() {
        for (int i = 1; i <= 5; i++) {
            server.enqueue(429, Map.of("retry-after-ms", "400", "x-test", "attempt-" + i), "{\"attempt\":" + i + "}");
        }
        ChildJvm.Result r = run(settings("max-wait=1s"), "--url", url());
        Outcome o = outcomes(r).get(0);
        // Two waits of 400-480 ms fit in 1 s; a third does not.
        assertEquals(3, server.requestCount(), r.describe());
        assertEquals(429, o.status, r.describe());
        assertEquals("attempt-3", o.testHeader, r.describe());
        assertEquals("{\"attempt\":3}", o.body, r.describe());
        assertEquals(1, r.agentLinesContaining("WARN"), r.describe());
        assertEquals(1, r.agentLinesContaining("left of max-wait 1s"), r.describe());
    }

    @Test
    void aHugeRetryAfterEndsRetryingAtOnce() {
        server.enqueue(429, Map.of("retry-after", "7200", "x-test", "huge"), BODY_429);
        ChildJvm.Result r = run(settings(), "--url", url());
        Outcome o = outcomes(r).get(0);
        assertEquals(429, o.status, r.describe());
        assertEquals("huge", o.testHeader, r.describe());
        assertEquals(BODY_429, o.body, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("giving up after 0 retries"), r.describe());
    }

    /**
     * Regression (issue 13): one {@code retry-after} of an hour held every later call of the key for all of
     * max-wait, though the server answered them at once. A hold that cannot end in time is not started.
     */
    @Test
    void anHourLongRetryAfterNeverHoldsTheCallsAfterIt() {
        server.enqueue(429, Map.of("retry-after", "3600", "x-test", "hour"), BODY_429);
        ChildJvm.Result r = run(settings("max-wait=20s"), "--url", url(), "--calls", "3");
        List<Outcome> outcomes = outcomes(r);
        assertEquals("hour", outcomes.get(0).testHeader, r.describe());
        assertEquals(List.of(429, 200, 200), List.of(outcomes.get(0).status, outcomes.get(1).status,
                outcomes.get(2).status), r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        // Held, the two later calls would each take the 20 s of max-wait.
        assertTrue(q.get(2).receivedNanos - q.get(0).receivedNanos < TimeUnit.SECONDS.toNanos(15), r.describe());
    }

    /**
     * Issue 14: Together limits each model apart, and so does the agent: a 429 for model "m" cools down m's lane
     * only. Call 0 (m) gets a 429 with a reset in 3 s, handed over at once (max-retries=0); call 1 (model "n") goes
     * at once; call 2 (m) waits for the reset. Where the adapter cannot read the body, all go in the key's lane.
     */
    @Test
    void oneModelsCoolDownNeverHoldsBackAnothers() {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3", "x-test", "m"), BODY_429);
        ChildJvm.Result r = run(settings("max-retries=0"), "--url", url(), "--calls", "3", "--alternate-model", "n");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(List.of(429, 200, 200), List.of(outcomes.get(0).status, outcomes.get(1).status,
                outcomes.get(2).status), r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(1).bodyText().contains("\"model\":\"n\""),
                r.describe());
        long reset = q.get(0).receivedNanos + TimeUnit.SECONDS.toNanos(3);
        assertTrue(q.get(2).receivedNanos >= reset, "model m waited for its reset\n" + r.describe());
        if (identifiesBodies()) {
            assertTrue(q.get(1).receivedNanos < q.get(0).receivedNanos + TimeUnit.SECONDS.toNanos(2),
                    "model n did not wait for m's reset\n" + r.describe());
            assertEquals(1, r.agentLinesContaining("/v1/chat/completions [m] got 429"), r.describe());
        } else {
            assertTrue(q.get(1).receivedNanos >= reset, "one lane for the key\n" + r.describe());
        }
    }

    /**
     * Regression (issue 13): clients read a repeated header differently (OkHttp and HttpURLConnection the last
     * value); every adapter reads the first, as {@code HeaderLookup} says.
     */
    @Test
    void aRepeatedHintIsReadByItsFirstValue() throws Exception {
        assumeTrue(!https(), "the fault server speaks plain HTTP");
        try (FaultServer faults = new FaultServer()) {
            faults.then(FaultServer.Reply.status(429, BODY_429, "retry-after: 1", "retry-after: 3600"));
            ChildJvm.Result r = run(settings(), "--url", faults.url());
            assertEquals(200, outcomes(r).get(0).status, r.describe());
            assertEquals(2, faults.received().size(), r.describe());
            assertEquals(1, r.agentLinesOf429("retry 1 of 8 in 1."), r.describe());
        }
    }

    @Test
    void stopsAfterMaxRetries() {
        enqueue429(5, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings("max-retries=2"), "--url", url());
        assertEquals(429, outcomes(r).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("all 2 retries used"), r.describe());
    }

    /**
     * A service makes millions of calls: once a call has ended, retried or not, nothing the agent made for it is
     * still reachable (the regression for Vert.x, whose every Together call stayed in memory). At most the last
     * call may be, held by the client or the probe's own last locals as the JVM ends.
     */
    @Test
    void keepsNothingOfACallOnceItHasEnded() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        int calls = 40;
        ChildJvm.Result r = run(settings(), "--url", url(), "--calls", String.valueOf(calls), "--report-live");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(calls, outcomes.size(), r.describe());
        assertTrue(outcomes.stream().allMatch(o -> o.status == 200), r.describe());
        assertEquals(calls + 2, server.requestCount(), r.describe());
        assertTrue(r.liveCalls() <= 1, r.liveCalls() + " of " + calls + " calls still reachable\n" + r.describe());
    }

    /**
     * A thread waiting in the agent, for a retry and then for its turn, holds no monitor: on Java 21 to 23 a virtual
     * thread that waits holding one pins its carrier, and a service on virtual threads whose calls all wait out a
     * cool-down would have no carrier left (the regression for HttpURLConnection, whose agent connection waited
     * inside a synchronized method).
     */
    @Test
    void waitsHoldingNoMonitor() {
        assumeTrue(waitsOnTheCallingThread(), "this client's waits are scheduled: no thread waits in the agent");
        enqueue429(1, Map.of("retry-after-ms", "500"));
        ChildJvm.Result r = run(settings(), "--url", url(), "--watch-waits");
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("WAITS_IN_AGENT (\\d+) HOLDING (\\d+) (.*)")
                .matcher(r.stdout);
        assertTrue(m.find(), r.describe());
        assertTrue(Integer.parseInt(m.group(1)) > 0, "the watch saw the wait: " + m.group() + "\n" + r.describe());
        assertEquals("0", m.group(2), m.group() + "\n" + r.describe());
    }

    @Test
    void neverRetriesKeyAccountOrRequestErrors() {
        int[] statuses = {400, 401, 402, 403, 404, 500};
        for (int status : statuses) {
            server.enqueue(status, Map.of("retry-after", "0"), "{\"error\":{\"message\":\"no\"}}");
        }
        ChildJvm.Result r = run(settings(), "--url", url(), "--calls", String.valueOf(statuses.length));
        List<Outcome> outcomes = outcomes(r);
        for (int i = 0; i < statuses.length; i++) {
            assertEquals(statuses[i], outcomes.get(i).status, r.describe());
        }
        assertEquals(statuses.length, server.requestCount(), r.describe());
    }

    @Test
    void leavesHostsOutsideTheListAlone() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("hosts=example.invalid", "--url", url());
        assertEquals(429, outcomes(r).get(0).status, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
    }

    @Test
    void matchesAHostWithTheGivenPortOnly() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("hosts=" + host() + ":" + server.port(), "--url", url());
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    @Test
    void retriesTogethersDefaultHostsOverHttps() throws Exception {
        assumeTrue(!https(), "the HTTPS run of the suite covers this throughout");
        StandIn https = StandIn.start(0, 1, null, TestTls.serverContext());
        try {
            https.enqueue(429, Map.of("retry-after-ms", "10"), BODY_429);
            https.enqueue(429, Map.of("retry-after-ms", "10"), BODY_429);
            ChildJvm.Result r = client().run("", TestTls.clientOptions(),
                    "--url", "https://api.together.xyz:" + https.port() + "/v1/chat/completions",
                    "--calls", "1");
            assertEquals(200, outcomes(r).get(0).status, r.describe());
            assertEquals(3, https.requestCount(), r.describe());
            https.enqueue(503, Map.of("retry-after-ms", "10"), "{}");
            ChildJvm.Result sub = client().run("", TestTls.clientOptions(),
                    "--url", "https://dedicated.api.together.ai:" + https.port() + "/v1/chat/completions");
            assertEquals(200, outcomes(sub).get(0).status, sub.describe());
            assertEquals(5, https.requestCount(), sub.describe());
        } finally {
            https.close();
        }
    }

    @Test
    void observeModeChangesNothingAndSaysWhatItWouldDo() {
        enqueue429(1, Map.of("retry-after", "1.2", "x-test", "first"));
        enqueue429(1, Map.of("retry-after", "7200"));
        ChildJvm.Result r = run(settings("mode=observe"), "--url", url(), "--calls", "3");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals("first", outcomes.get(0).testHeader, r.describe());
        assertEquals(429, outcomes.get(1).status, r.describe());
        assertEquals(200, outcomes.get(2).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        // The model is named where the adapter can read the body: "POST host/v1/chat/completions [m] got 429".
        assertEquals(2, r.agentLinesContaining("[observe] POST " + host() + "/v1/chat/completions"), r.describe());
        assertEquals(1, r.agentLinesOf429("would retry 1 of 8 in 1."), r.describe());
        assertEquals(1, r.agentLinesOf429("would give up, because the next wait of "), r.describe());
        assertEquals(1, r.agentLinesContaining("(retry-after) is more than the 60.00 s left of max-wait 1m"),
                r.describe());
    }

    @Test
    void offModeInstallsNothing() {
        enqueue429(3, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings("mode=off"), "--url", url());
        assertEquals(429, outcomes(r).get(0).status, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("mode=off: nothing installed"), r.describe());
    }

    @Test
    void neverResendsABodyThatCannotBeReplayed() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        // max-replay-bytes: clients that stream the body as written keep only that much of it.
        ChildJvm.Result r = run(settings("max-replay-bytes=16"), "--url", url(), "--unreplayable", "--calls", "2");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals(429, outcomes.get(1).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesOf429("not retried because its request body"), r.describe());
    }

    @Test
    void asyncCallsRecoverAndCallBackExactlyOnce() {
        assumeTrue(hasAsync(), "no asynchronous API");
        enqueue429(2, Map.of("retry-after-ms", "20"));
        ChildJvm.Result r = run(settings(), "--url", url(), "--async");
        assertEquals(200, outcomes(r).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        assertTrue(r.stdout.contains("CALLBACKS 1\n"), r.describe());
    }

    @Test
    void aFailureInsideTheAgentLeavesTheCallAsIfTheAgentWereAbsent() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings(), List.of("-Dtogether.agent.internal.fault=decide"),
                "--url", url(), "--calls", "3");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(List.of(429, 429, 200), List.of(outcomes.get(0).status, outcomes.get(1).status,
                outcomes.get(2).status), r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("ERROR internal error in the retry decision"), r.describe());
    }

    /**
     * A failure of the agent's while reading an answer's status or headers, in the adapter's own code on the
     * application's thread (outside the core's guard), hands that answer to the application as it came.
     */
    @Test
    void aFailureReadingAnAnswerHandsItToTheApplication() {
        assumeFalse(schedulesRetries(), "its answers are read where its retries are scheduled");
        enqueue429(2, Map.of("retry-after-ms", "10", "x-test", "first"));
        ChildJvm.Result r = run(settings(), List.of("-Dtogether.agent.internal.fault=read-answer"),
                "--url", url(), "--calls", "3");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(List.of(429, 429, 200), List.of(outcomes.get(0).status, outcomes.get(1).status,
                outcomes.get(2).status), r.describe());
        assertEquals("first", outcomes.get(0).testHeader, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("ERROR internal error in reading an answer"), r.describe());
    }

    /**
     * A failure of the agent's while sending a retry from its scheduler ends the call: with the last answer where
     * the adapter still has it (Jetty), else with a failure the application handles as a broken connection.
     */
    @Test
    void aFailureWhileSendingARetryFromTheSchedulerEndsTheCall() {
        assumeTrue(schedulesRetries(), "its retries are sent from the application's thread");
        enqueue429(2, Map.of("retry-after-ms", "10", "x-test", "first"));
        List<String> args = new ArrayList<>(List.of("--url", url()));
        if (hasAsync()) {
            args.add("--async");
        }
        ChildJvm.Result r = run(settings(), List.of("-Dtogether.agent.internal.fault=resend"),
                args.toArray(new String[0]));
        Outcome o = outcomes(r).get(0);
        boolean handedOn = o.status == 429 && "first".equals(o.testHeader);
        boolean failed = o.error != null && o.error.contains("together-agent could not send the retry");
        assertTrue(handedOn || failed, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("internal error in sending a retry")
                + r.agentLinesContaining("internal error in the Jetty retry"), r.describe());
    }

    @Test
    void aFailureWhileInstallingLeavesTheClientWorking() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(settings(), List.of("-Dtogether.agent.internal.fault=install"),
                "--url", url(), "--calls", "2");
        List<Outcome> outcomes = outcomes(r);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals(200, outcomes.get(1).status, r.describe());
        assertEquals(1, r.agentLinesContaining("ERROR internal error in"), r.describe());
    }

    @Test
    void namesAProblemWithTheKeyOnceAndNeverTheKey() {
        String openAi = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        ChildJvm.Result r = run(settings(), "--url", url(), "--calls", "2",
                "--header", "Authorization:Bearer " + openAi);
        assertEquals(2, outcomes(r).size(), r.describe());
        assertEquals(1, r.agentLinesContaining("ERROR requests to Together have another provider's API key"
                + " (an OpenAI project key sk-proj-\u2026Xy4z (sha256:"), r.describe());
        assertTrue(!r.stderr.contains("Ab3dEf6h"), r.describe());
    }

    @Test
    void keyRepairTrimSendsEveryAttemptWithTheKeyUnquoted() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        String quoted = "Bearer \"" + ProbeArgs.KEY + "\"";
        ChildJvm.Result r = run(settings("key-repair=trim"), "--url", url(), "--calls", "2",
                "--header", "Authorization:" + quoted);
        assertEquals(200, outcomes(r).get(1).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        String sent = repairsKeys() ? "Bearer " + ProbeArgs.KEY : quoted;
        server.requests().forEach(q -> assertEquals(sent, q.headers.get("authorization"), r.describe()));
        assertEquals(repairsKeys() ? 1 : 0, r.agentLinesContaining("key-repair=trim sends it trimmed"), r.describe());
    }

    @Test
    void a401IsNamedWithTheRedactedKeyAndTheApplicationGetsItWhole() {
        String body401 = "{\"error\":{\"message\":\"Invalid API key provided.\",\"code\":\"invalid_api_key\"}}";
        server.enqueue(401, Map.of(), body401);
        ChildJvm.Result r = run(settings(), "--url", url());
        Outcome o = outcomes(r).get(0);
        assertEquals(401, o.status, r.describe());
        assertEquals(body401, o.body, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        String line = "ERROR Together answered 401 for key tgp_v1_\u20260000 (sha256:";
        assertEquals(1, r.agentLinesContaining(line), r.describe());
        assertEquals(readsErrorBodies() ? 1 : 0, r.agentLinesContaining(": \"Invalid API key provided.\""),
                r.describe());
    }
}
