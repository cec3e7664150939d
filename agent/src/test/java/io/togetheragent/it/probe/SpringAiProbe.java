package io.togetheragent.it.probe;

import java.nio.charset.StandardCharsets;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application with Spring AI's OpenAI starter pointed at Together by its {@code base-url}, as its
 * users set it up: the auto-configured {@code ChatModel}, on whatever client Spring Boot picks from the class path.
 * Spring AI's own retry is left at its defaults (it does not retry a 429).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SpringAiProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        String base = p.url.replaceFirst("/v1/chat/completions$", "");
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
                String answer = model.call("h\u00e9llo \u2603 " + i);
                ProbeArgs.reportStatus(i, 200, null, answer.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }
}
