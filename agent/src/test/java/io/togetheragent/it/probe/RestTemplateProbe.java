package io.togetheragent.it.probe;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;

/**
 * Spring's RestTemplate with its default request factory, which is HttpURLConnection underneath, or with
 * {@code --variant httpcomponents} over Apache HttpClient 5 with its default settings.
 */
public final class RestTemplateProbe {
    public static void main(String[] args) throws InterruptedException {
        ProbeArgs p = ProbeArgs.parse(args);
        RestTemplate rest = "httpcomponents".equals(p.variant)
                ? new RestTemplate(new HttpComponentsClientHttpRequestFactory()) : new RestTemplate();
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        p.headers.forEach(headers::set);
        p.runCalls(i -> {
            try {
                ResponseEntity<String> r = rest.postForEntity(p.url, new HttpEntity<>(p.body(), headers), String.class);
                String text = r.getBody() == null ? "" : p.answerText ? AnswerText.of(r.getBody()) : r.getBody();
                ProbeArgs.reportStatus(i, r.getStatusCode().value(), r.getHeaders().getFirst("x-test"),
                        text.getBytes(StandardCharsets.UTF_8));
            } catch (RestClientResponseException e) {
                ProbeArgs.reportStatus(i, e.getStatusCode().value(), null, e.getResponseBodyAsByteArray());
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }
}
