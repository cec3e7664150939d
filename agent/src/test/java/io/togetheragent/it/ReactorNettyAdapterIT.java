package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.RecordedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only the non-blocking Reactor Netty clients have (Reactor Netty directly, and Spring's WebClient on it):
 * receive forms, body publishers, scheduled waits, cancelling a subscription, Reactor's own timeouts, streamed
 * answers, and reference-counted buffers.
 */
class ReactorNettyAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private static ProbeRunner client(String which) {
        return which.equals("webclient") ? ProbeRunner.webClient() : ProbeRunner.reactorNetty(which);
    }

    private ChildJvm.Result run(String which, List<String> jvm, String... args) {
        return client(which).run(SETTINGS, jvm, args);
    }

    @ParameterizedTest
    @CsvSource({"responseSingle,string", "response,string", "responseContent,string", "responseConnection,string",
        "responseSingle,mono", "responseSingle,flux"})
    void everyReceiveFormAndBodyPublisherIsRetriedWithTheSameBody(String receive, String publisher) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("reactor-netty-newest", List.of(), "--url", url(), "--receive", receive,
                "--publisher", publisher);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        String first = server.requests().get(0).bodyText();
        assertTrue(first.contains("h\u00e9llo"), first);
        server.requests().forEach(q -> assertEquals(first, q.bodyText(), r.describe()));
    }

    /**
     * The agent's attempts start from the client's protected {@code connect()}, opened by reflection; where it
     * cannot be opened they go through the public {@code responseConnection}, and are retried alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"responseSingle", "responseConnection"})
    void attemptsGoThroughTheClientsPublicApiWhereConnectCannotBeOpened(String receive) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("reactor-netty-newest",
                List.of("-Dtogether.agent.internal.fault=reactor-netty-connect"), "--url", url(), "--receive", receive,
                "--publisher", "mono");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
        String first = server.requests().get(0).bodyText();
        server.requests().forEach(q -> assertEquals(first, q.bodyText(), r.describe()));
    }

    /**
     * The agent's request tap stays in a kept-alive connection's pipeline from one request to the next: each call
     * on it keeps its own request, and its retries send that one (calls alternate models m and n).
     */
    @Test
    void eachCallOnAKeptAliveConnectionResendsItsOwnRequest() {
        server.enqueue(200, Map.of(), "{}");
        enqueue429(1, Map.of("retry-after-ms", "10"));
        server.enqueue(200, Map.of(), "{}");
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("reactor-netty-newest", List.of(), "--url", url(), "--calls", "3",
                "--alternate-model", "n");
        Outcome.parse(r.stdout).forEach(o -> assertEquals(200, o.status, r.describe()));
        List<RecordedRequest> q = server.requests();
        assertEquals(5, q.size(), r.describe());
        List<String> models = new ArrayList<>();
        q.forEach(request -> models.add(request.bodyText().contains("\"model\":\"n\"") ? "n" : "m"));
        assertEquals(List.of("m", "n", "n", "m", "m"), models, r.describe());
        assertEquals(q.get(1).bodyText(), q.get(2).bodyText(), r.describe());
        assertEquals(q.get(3).bodyText(), q.get(4).bodyText(), r.describe());
        assertTrue(q.stream().map(request -> request.clientPort).distinct().count() < 5,
                "no connection was used twice: nothing was shown\n" + r.describe());
    }

    /** Regression: a request the agent could not watch going out was logged as one whose body was not all sent. */
    @Test
    void aRequestTheAgentCouldNotWatchGoingOutIsNotRetriedAndTheLogSaysWhy() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run("reactor-netty-newest", List.of("-Dtogether.agent.internal.fault=request-tap"),
                "--url", url());
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesOf429("not retried because its request was not copied as it went out (the agent"
                + " could not watch it go out)"), r.describe());
        assertEquals(1, r.agentLinesContaining("internal error in watching a Reactor Netty request"), r.describe());
    }

    /** No Netty event loop, no Reactor scheduler, no thread of the agent's sleeps while a call waits. */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-oldest", "reactor-netty-newest", "webclient"})
    void waitsAreScheduledAndHoldNoThread(String which) throws Exception {
        enqueue429(1, Map.of("retry-after", "2"));
        ChildJvm.Result r = client(which).runInTheWait(SETTINGS, "--url", url(), "--async");
        // The probe looked into the two-second wait as the agent began it.
        assertTrue(r.stdout.contains("SLEEPING_IN_AGENT 0\n"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertTrue(r.stdout.contains("CALLBACKS 1\n"), r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-newest", "webclient"})
    void disposingTheSubscriptionStopsFurtherAttempts(String which) throws Exception {
        enqueue429(3, Map.of("retry-after", "3"));
        ChildJvm.Result r = client(which).runInTheWait(SETTINGS, "--url", url(), "--async", "--cancel");
        assertTrue(r.stdout.contains("CANCELLED true"), r.describe());
        // The probe waited four more seconds: a retry would have come three after the first attempt.
        assertEquals(1, server.requestCount(), r.describe());
    }

    /** A Reactor {@code timeout()} cancels the call: the wait ends with it, and nothing more is sent. */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-newest", "webclient"})
    void aReactorTimeoutEndsTheWaitAndTheCall(String which) throws Exception {
        enqueue429(3, Map.of("retry-after", "3"));
        // The timeout fires in the wait; the probe lingers past the retry.
        ChildJvm.Result r = client(which).runInTheWait(SETTINGS, "--url", url(), "--reactor-timeout", "--linger-ms",
                "3500");
        Outcome o = Outcome.parse(r.stdout).get(0);
        assertEquals("java.util.concurrent.TimeoutException", o.errorClass(), r.describe());
        assertEquals(1, server.requestCount(), r.describe());
    }

    /** {@code responseTimeout} is how long the application waits for an answer: no wait is begun past it. */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-newest", "webclient"})
    void theResponseTimeoutBoundsTheWaits(String which) {
        assertTheCallsTimeoutBoundsTheWaits(client(which), SETTINGS);
    }

    /** A 429 before a stream is retried; the stream then reaches the application as it comes. */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-newest", "webclient"})
    void aStreamedAnswerReachesTheApplicationUnbuffered(String which) throws Exception {
        StreamedAnswers.retriedThenUnbuffered(client(which), SETTINGS);
    }

    /** max-concurrent holds the excess sends without holding a thread: their turns are scheduled. */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-newest", "webclient"})
    void maxConcurrentCapsRequestsInFlight(String which) {
        assertMaxConcurrentHoldsTwoInFlight(client(which), SETTINGS);
    }

    /** Netty's leak detector, at paranoid, tracks every buffer of retried calls: none leaks, none is freed twice. */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-oldest", "reactor-netty-newest", "webclient"})
    void retriedCallsLeakNoBuffer(String which) {
        enqueue429(4, Map.of("retry-after-ms", "10"));
        server.enqueue(503, Map.of("retry-after-ms", "10"), "{\"error\":{\"message\":\"overloaded\"}}");
        // The bodies are buffers from Netty's allocator (ByteBufFlux.fromString, WebClient's encoder): tracked.
        ChildJvm.Result r = run(which, List.of("-Dio.netty.leakDetection.level=paranoid"), "--url", url(),
                "--calls", "4");
        assertEquals(4, Outcome.parse(r.stdout).stream().filter(o -> o.status == 200).count(), r.describe());
        assertEquals(9, server.requestCount(), r.describe());
        assertTrue(r.stdout.contains("LEAK CHECK DONE"), r.describe());
        assertNoBufferLeaked(r);
    }

    /**
     * A first request's key and model are known only as it is written to its connection, where it waits for its
     * turn; a turn that does not come within a pace's wait (a cool-down's: 3 s here) gives the connection up, and
     * the request goes from its copy at its turn. With one connection to the host, held through m's cool-down, the
     * call of model n started after m's would have waited for it. Call 0 (m) gets a 429 with a reset in 3 s, handed
     * over (max-retries=0); then, a second later, call 1 (n), call 2 (m) and call 3 (n), 150 ms apart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-oldest", "reactor-netty-newest"})
    void aFirstRequestWaitingThroughACoolDownGivesItsConnectionUp(String which) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        ChildJvm.Result r = client(which).run(SETTINGS + ",max-retries=0", List.of("-Dio.netty.leakDetection.level"
                + "=paranoid"), "--url", url(), "--pool", "1", "--calls", "4", "--threads", "3", "--first-alone-ms",
                "1000", "--stagger-ms", "150", "--alternate-model", "n");
        // In the order of the calls: the first, on a cold JVM, may end after the second began.
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        outcomes.sort(Comparator.comparingInt(o -> o.call));
        assertEquals(List.of(429, 200, 200, 200), outcomes.stream().map(o -> o.status).collect(
                Collectors.toList()), r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(4, q.size(), r.describe());
        long reset = q.get(0).receivedNanos + TimeUnit.SECONDS.toNanos(3);
        for (RecordedRequest n : q.subList(1, 3)) {
            assertTrue(n.bodyText().contains("\"model\":\"n\""), r.describe());
            assertTrue(n.receivedNanos < reset - TimeUnit.SECONDS.toNanos(1),
                    "model n waited for m's cool-down\n" + r.describe());
        }
        assertEquals(q.get(0).bodyText(), q.get(3).bodyText(), r.describe());
        assertTrue(q.get(3).receivedNanos >= reset, "model m waited for its reset\n" + r.describe());
        assertTrue(r.stdout.contains("LEAK CHECK DONE"), r.describe());
        assertNoBufferLeaked(r);
        assertTrue(!r.stderr.contains("ERROR"), r.describe());
    }

    /**
     * A turn that comes within a pace's wait (a cool-down of 0.15 s here) is waited for on the request's own
     * connection: with one connection to the host, the second call goes on the first's, once the reset has passed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reactor-netty-oldest", "reactor-netty-newest"})
    void aFirstRequestWaitsAShortTurnOnItsOwnConnection(String which) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "0.15"), BODY_429);
        ChildJvm.Result r = client(which).run(SETTINGS + ",max-retries=0", List.of("-Dio.netty.leakDetection.level"
                + "=paranoid"), "--url", url(), "--pool", "1", "--calls", "2", "--distinct-bodies");
        assertEquals(List.of(429, 200), List.of(Outcome.parse(r.stdout).get(0).status,
                Outcome.parse(r.stdout).get(1).status), r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(2, q.size(), r.describe());
        assertTrue(q.get(1).receivedNanos >= q.get(0).receivedNanos
                + TimeUnit.MILLISECONDS.toNanos(150), r.describe());
        assertEquals(q.get(0).clientPort, q.get(1).clientPort, r.describe());
        assertNoBufferLeaked(r);
    }

    /**
     * A Reactor {@code timeout()} that fires while a first request waits for its turn, on its connection (150 ms)
     * or after giving it up (1 s), ends the call: the request is never sent, not even once its turn comes.
     */
    @ParameterizedTest
    @CsvSource({"reactor-netty-newest, 150", "reactor-netty-newest, 1000", "webclient, 150", "webclient, 1000"})
    void aReactorTimeoutWhileAFirstRequestWaitsForItsTurnEndsTheCall(String which, String timeoutMillis) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "2"), BODY_429);
        ChildJvm.Result r = client(which).run(SETTINGS + ",max-retries=0", List.of("-Dio.netty.leakDetection.level"
                + "=paranoid"), "--url", url(), "--calls", "2", "--reactor-timeout-ms", timeoutMillis, "--linger-ms",
                "2500");
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals("java.util.concurrent.TimeoutException", outcomes.get(1).errorClass(), r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertNoBufferLeaked(r);
        assertTrue(!r.stderr.contains("ERROR"), r.describe());
    }

    /** Netty's leak detector (at paranoid) reported no buffer lost or freed twice. */
    private static void assertNoBufferLeaked(ChildJvm.Result r) {
        assertTrue(!r.stderr.contains("LEAK:") && !r.stderr.contains("IllegalReferenceCount"), r.describe());
    }
}
