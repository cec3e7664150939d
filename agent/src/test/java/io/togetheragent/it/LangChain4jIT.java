package io.togetheragent.it;

import io.togetheragent.it.probe.LangChain4jProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LangChain4j's OpenAI chat models, as its users point them at Together, on its default client (java.net.http),
 * through the same acceptance run as Spring AI's ({@link ThroughARateLimit}).
 */
class LangChain4jIT {
    /**
     * Without the agent the chat model's own two retries (1 s and 1.5 s, blind to Retry-After) draw 21 to 22 429s and
     * leave calls failing, and the streaming model, which never retries, fails most calls.
     */
    @ParameterizedTest
    @ValueSource(strings = {"chat", "streaming"})
    void chatModelsSucceedThroughARateLimit(String model) throws Exception {
        ThroughARateLimit.run("langchain4j", LangChain4jProbe.class, "--variant", model);
    }
}
