package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.RestClientProbe;
import io.togetheragent.it.probe.WebClientProbe;
import io.togetheragent.it.probe.SpringAiProbe;
import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Spring way of calling Together (issue 15): RestClient on each of its request factories, and Spring AI's
 * auto-configured {@code OpenAiChatModel} in a WebFlux application and in a plain web one.
 */
class SpringClientsIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    @ParameterizedTest
    @ValueSource(strings = {"reactor", "jdk", "simple", "httpcomponents", "jetty"})
    void restClientOnEveryRequestFactoryRecoversFrom429s(String factory) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm jvm = new ChildJvm().agent(SETTINGS).libs(factory.equals("jetty") ? "spring-jetty" : "spring-webflux");
        if (factory.equals("httpcomponents")) {
            jvm.libs("httpclient5-newest");
        }
        ChildJvm.Result r = jvm.runMain(RestClientProbe.class.getName(), "--url", url(), "--variant", factory);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
        q.forEach(again -> assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe()));
        assertEquals(2, r.agentLinesOf429("retry"), r.describe());
    }

    /** WebClient on Jetty's reactive client, as Spring Boot sets it up when Jetty is on the class path. */
    @Test
    void webClientOnJettyRecoversFrom429s() {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = new ChildJvm().agent(SETTINGS).libs("spring-jetty").runMain(WebClientProbe.class.getName(),
                "--url", url(), "--variant", "jetty");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(3, q.size(), r.describe());
        assertTrue(q.get(0).bodyText().contains("h\u00e9llo"), q.get(0).bodyText());
        q.forEach(again -> assertEquals(q.get(0).bodyText(), again.bodyText(), r.describe()));
        assertEquals(2, r.agentLinesOf429("retry"), r.describe());
    }

    /**
     * The acceptance test: 30 chat calls from 6 threads through a limit of 10 requests/s (burst 5). Without the agent
     * most fail with Spring AI's NonTransientAiException on the first 429; with it, all succeed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"spring-ai-webflux", "spring-ai-web"})
    void springAisChatModelSucceedsThroughARateLimit(String application) throws Exception {
        try (StandIn limited = StandIn.start(10, 5, null)) {
            String url = limited.url() + "/v1/chat/completions";
            ChildJvm.Result r = new ChildJvm().agent(SETTINGS).libs(application)
                    .runMain(SpringAiProbe.class.getName(), "--url", url, "--calls", "30", "--threads", "6");
            List<Outcome> outcomes = Outcome.parse(r.stdout);
            assertEquals(30, outcomes.size(), r.describe());
            assertEquals(30, outcomes.stream().filter(o -> o.status == 200).count(), r.describe());
            // The limit governed the run: a 429 met it, or the agent paced the calls to it from the first answers'
            // headers (under CI load the first calls once came too slowly to draw any 429): then the 30 calls took
            // at least nine tenths of what the limit allows after its burst, (30 - 5) / 10 s.
            List<RecordedRequest> q = limited.requests();
            long spanMillis = (q.get(q.size() - 1).receivedNanos - q.get(0).receivedNanos) / 1_000_000;
            assertTrue(limited.count(429) > 0 || spanMillis >= 2_250,
                    "the limit was met (" + spanMillis + " ms)\n" + r.describe());
            assertEquals(30, limited.count(200), r.describe());
        }
    }
}
