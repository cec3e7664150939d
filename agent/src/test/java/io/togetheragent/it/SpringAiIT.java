package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.togetheragent.it.probe.SpringAiProbe;
import io.togetheragent.testapp.standin.RecordedRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spring AI's auto-configured {@code OpenAiChatModel}, as its users point it at Together (issue 15): Spring AI 1 in a
 * WebFlux application and in a plain web one, Spring AI 2 (on the OpenAI SDK's OkHttp) in a WebFlux one.
 */
class SpringAiIT {
    /**
     * The acceptance run ({@link ThroughARateLimit}), answered whole or streamed. Without the agent most calls fail
     * with Spring AI 1's NonTransientAiException (or WebClient's TooManyRequests, streamed) on the first 429; Spring AI
     * 2's OpenAI SDK retries 429s itself, so its calls succeed but draw 23 to 25 429s (measured).
     */
    @ParameterizedTest
    @CsvSource({"spring-ai-webflux, spring", "spring-ai-web, spring", "spring-ai2-webflux, sdk",
        "spring-ai-webflux, spring-streaming", "spring-ai-web, spring-streaming", "spring-ai2-webflux, sdk-streaming"})
    void springAisChatModelSucceedsThroughARateLimit(String application, String variant) throws Exception {
        List<RecordedRequest> q = ThroughARateLimit.run(application, SpringAiProbe.class, "--variant", variant);
        boolean askedToStream = q.get(0).bodyText().replace(" ", "").contains("\"stream\":true");
        assertEquals(variant.endsWith("-streaming"), askedToStream, q.get(0).bodyText());
    }
}
