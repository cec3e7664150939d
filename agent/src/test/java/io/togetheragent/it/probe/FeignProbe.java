package io.togetheragent.it.probe;

import feign.Feign;
import feign.FeignException;
import feign.Headers;
import feign.Param;
import feign.RequestLine;
import java.nio.charset.StandardCharsets;

/**
 * A Feign client of Together's chat completions, as its users declare one, on Feign's defaults: its client
 * (HttpURLConnection), its encoder and decoder (the body as a string), and its retryer, which resends only what its
 * error decoder calls retryable: an answer with Retry-After, which Together's 429s do not carry. Each call reports
 * 200 and the answer's text, or the status Feign threw.
 */
public final class FeignProbe {
    interface Together {
        @RequestLine("POST /v1/chat/completions")
        @Headers({"Content-Type: application/json", "Authorization: {authorization}"})
        String chat(@Param("authorization") String authorization, String body);
    }

    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        Together together = Feign.builder().target(Together.class, p.url.replaceFirst("/v1/chat/completions$", ""));
        String authorization = p.headers.get("Authorization");
        p.runCalls(i -> {
            try {
                String answer = AnswerText.of(together.chat(authorization, p.body()));
                ProbeArgs.reportStatus(i, 200, null, answer.getBytes(StandardCharsets.UTF_8));
            } catch (FeignException e) {
                ProbeArgs.reportStatus(i, e.status(), null, e.content() == null ? new byte[0] : e.content());
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }
}
