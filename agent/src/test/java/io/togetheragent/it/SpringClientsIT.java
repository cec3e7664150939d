package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.ProbeArgs;
import io.togetheragent.it.probe.RestClientProbe;
import io.togetheragent.it.probe.WebClientProbe;
import io.togetheragent.testapp.standin.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spring's clients calling Together (issue 15), on Spring 6.2 and 7: RestClient on each of its request factories,
 * WebClient on Jetty, the JDK's client and HttpClient 5 (and on Reactor Netty for Spring 7). Spring AI's are in
 * {@link SpringAiIT}.
 */
class SpringClientsIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    /** On Spring 6.2 (Spring Boot 3) and on Spring 7 (Spring Boot 4). */
    @ParameterizedTest
    @CsvSource({"spring, reactor", "spring, jdk", "spring, simple", "spring, httpcomponents", "spring, jetty",
        "spring7, reactor", "spring7, jdk", "spring7, simple", "spring7, httpcomponents", "spring7, jetty"})
    void restClientOnEveryRequestFactoryRecoversFrom429s(String spring, String factory) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = jvm(spring, factory, SETTINGS).runMain(RestClientProbe.class.getName(), "--url", url(),
                "--variant", factory);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
        q.forEach(again -> assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe()));
        assertEquals(2, r.agentLinesOf429("retry"), r.describe());
    }

    /**
     * RestClient on the JDK client (Spring Boot 3.4+'s choice when no other client is on the class path, and so
     * Spring AI's with starter-web alone), and WebClient on the JDK's connector, send their bodies from a publisher
     * of Spring's own, which the agent reads before the call's first turn, as it reads the body Spring writes after
     * sending on Jetty's client (Spring Boot's first pick when Jetty is on the class path); on Reactor Netty (Spring
     * Boot's pick with starter-webflux, for both) the request is held on its connection as it is written, until its
     * turn: each model waits in its own lane. ClientBehaviourSuite's oneModelsCoolDownNeverHoldsBackAnothers: call
     * 0 (model m) gets a 429 with a reset in 3 s, handed over at once; call 1 (model n) goes at once; call 2 (m)
     * waits for the reset.
     */
    @ParameterizedTest
    @CsvSource({"spring, RestClient, jdk", "spring7, RestClient, jdk", "spring, WebClient, jdk",
        "spring7, WebClient, jdk", "spring, RestClient, reactor", "spring7, RestClient, reactor",
        "spring, WebClient, reactor", "spring7, WebClient, reactor", "spring, RestClient, jetty",
        "spring7, RestClient, jetty", "spring, WebClient, jetty", "spring7, WebClient, jetty",
        "spring, WebClient, httpcomponents", "spring7, WebClient, httpcomponents"})
    void springWaitsInItsModelsLane(String spring, String client, String connector) {
        server.enqueue(429, Map.of("x-ratelimit-reset", "3"), BODY_429);
        String probe = client.equals("RestClient") ? RestClientProbe.class.getName() : WebClientProbe.class.getName();
        ChildJvm.Result r = jvm(spring, connector, SETTINGS + ",max-retries=0").runMain(
                probe, "--url", url(), "--variant", connector, "--calls", "3", "--alternate-model", "n");
        assertOneModelsCoolDownHeldBackNoOther(r);
    }

    /**
     * WebClient on HttpClient 5 with a body whose publisher gives its first part at once and the rest later: the
     * agent reads what is at hand, and does not wait for the rest; the server gets the whole body once, in order,
     * and the application the 429, as without the agent (a call not read whole is not retried).
     */
    @ParameterizedTest
    @CsvSource({"spring", "spring7"})
    void webClientOnHttpClient5SendsABodyNotAtHandWholeAndOnce(String spring) {
        server.enqueue(429, Map.of("retry-after-ms", "10"), BODY_429);
        ChildJvm.Result r = jvm(spring, "httpcomponents", SETTINGS).runMain(WebClientProbe.class.getName(),
                "--url", url(), "--variant", "httpcomponents", "--publisher", "half-later");
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(1, q.size(), r.describe());
        assertEquals(ProbeArgs.parse(new String[0]).body(), q.get(0).bodyText(), r.describe());
        assertEquals(1, r.agentLinesContaining("its request body was not all at hand"), r.describe());
    }

    /**
     * WebClient on HttpClient 5 with a body whose publisher fails after its first part: the agent meets the failure
     * as it reads, and the client meets it where it sends the body, as without the agent.
     */
    @ParameterizedTest
    @CsvSource({"spring", "spring7"})
    void webClientOnHttpClient5FailsABodyThatFailsAsWithoutTheAgent(String spring) {
        String[] args = {"--url", url(), "--variant", "httpcomponents", "--publisher", "failing"};
        ChildJvm.Result without = jvm(spring, "httpcomponents", null).runMain(WebClientProbe.class.getName(), args);
        int reachedWithout = server.requestCount();
        ChildJvm.Result with = jvm(spring, "httpcomponents", SETTINGS).runMain(WebClientProbe.class.getName(), args);
        String both = "without the agent:\n" + without.describe() + "\nwith it:\n" + with.describe();
        assertEquals(Outcome.parse(without.stdout).get(0).seen(), Outcome.parse(with.stdout).get(0).seen(), both);
        assertEquals(reachedWithout, server.requestCount() - reachedWithout, both);
        assertEquals(0, with.agentLinesContaining("internal error"), both);
    }

    /**
     * A child JVM with Spring 6.2 or 7 and the client under the connector or request factory named, with the agent
     * and its settings, or without it (null).
     */
    private static ChildJvm jvm(String spring, String connector, String settings) {
        String libs = spring + (connector.equals("jetty") ? "-jetty" : "-webflux");
        ChildJvm jvm = new ChildJvm().libs(libs);
        if (settings != null) {
            jvm.agent(settings);
        }
        if (connector.equals("httpcomponents")) {
            jvm.libs("httpclient5-newest");
        }
        return jvm;
    }

    /**
     * WebClient on Jetty's reactive client, as Spring Boot sets it up when Jetty is on the class path, and on Reactor
     * Netty, Spring Boot's default (on Spring 6.2 the WebClient suites cover it).
     */
    @ParameterizedTest
    @CsvSource({"spring, jetty", "spring7, jetty", "spring7, reactor", "spring, jdk", "spring7, jdk",
        "spring, httpcomponents", "spring7, httpcomponents"})
    void webClientRecoversFrom429s(String spring, String connector) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = jvm(spring, connector, SETTINGS).runMain(WebClientProbe.class.getName(), "--url", url(),
                "--variant", connector);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
        q.forEach(again -> assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe()));
        assertEquals(2, r.agentLinesOf429("retry"), r.describe());
    }
}
