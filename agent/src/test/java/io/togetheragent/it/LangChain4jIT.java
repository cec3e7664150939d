package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.LangChain4jProbe;
import io.togetheragent.testapp.standin.StandIn;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LangChain4j's OpenAI chat models, as its users point them at Together, on its default client (java.net.http): the
 * same acceptance test as Spring AI's, 30 chat calls from 6 threads through a limit of 10 requests/s (burst 5).
 */
class LangChain4jIT {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    /**
     * Without the agent the chat model's own two retries (1 s and 1.5 s, blind to Retry-After) leave calls failing
     * and draw many 429s, and the streaming model, which never retries, fails most calls; with it, every call
     * succeeds and few meet a 429, as the agent paces them from the first answers on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"chat", "streaming"})
    void chatModelsSucceedThroughARateLimit(String model) throws Exception {
        try (StandIn limited = StandIn.start(10, 5, null)) {
            String url = limited.url() + "/v1/chat/completions";
            ChildJvm.Result r = new ChildJvm().agent(SETTINGS).libs("langchain4j").runMain(
                    LangChain4jProbe.class.getName(), "--url", url, "--calls", "30", "--threads", "6",
                    "--variant", model);
            List<Outcome> outcomes = Outcome.parse(r.stdout);
            assertEquals(30, outcomes.size(), r.describe());
            for (Outcome o : outcomes) {
                assertEquals("200 x-test=- body=Hello from the stand-in.", o.seen(), r.describe());
            }
            assertEquals(30, limited.count(200), r.describe());
            assertTrue(limited.count(429) < 10, limited.count(429) + " 429s\n" + r.describe());
        }
    }
}
