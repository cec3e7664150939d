package io.togetheragent.it.probe;

import java.nio.charset.StandardCharsets;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application with Spring AI's OpenAI starter pointed at Together by its {@code base-url}, as its
 * users set it up: the auto-configured {@code ChatModel}, on whatever client Spring Boot picks from the class path;
 * with {@code --variant …-streaming}, its streamed answers ({@code stream}, on WebClient in Spring AI 1).
 * Spring AI's own retry is left at its defaults (Spring AI 1's does not retry a 429; Spring AI 2's OpenAI SDK does).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SpringAiProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        // Spring AI 1 appends /v1/chat/completions to its base URL; Spring AI 2 hands it to the OpenAI SDK, whose base
        // URL ends in /v1 (--variant sdk, sdk-streaming).
        String base = p.url.replaceFirst(p.variant.startsWith("sdk") ? "/chat/completions$" : "/v1/chat/completions$",
                "");
        boolean streaming = p.variant.endsWith("-streaming");
        String key = p.headers.get("Authorization").substring("Bearer ".length());
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringAiProbe.class)
                .properties("spring.main.web-application-type=none", "spring.main.banner-mode=off",
                        "logging.level.root=warn", "spring.ai.openai.base-url=" + base,
                        "spring.ai.openai.api-key=" + key, "spring.ai.openai.chat.options.model=m")
                .run();
        ChatModel model = context.getBean(ChatModel.class);
        System.out.println("CHAT MODEL " + model.getClass().getName());
        p.runCalls(i -> {
            try {
                String message = "h\u00e9llo \u2603 " + i;
                String answer = streaming ? String.join("", ((StreamingChatModel) model).stream(message).collectList()
                        .block()) : model.call(message);
                ProbeArgs.reportStatus(i, 200, null, answer.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }
}
