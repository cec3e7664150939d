package io.togetheragent.testapp;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty's HttpClient, as Spring's WebClient and RestClient run it underneath: non-blocking, here blocked on
 * for each call as a RestClient on ReactorClientHttpRequestFactory does.
 */
final class ReactorNettyChatClient implements ChatClient {
    private final HttpClient client = HttpClient.create();

    @Override
    public Reply post(String url, String apiKey, String json) {
        return client.headers(h -> h.set("Authorization", "Bearer " + apiKey).set("Content-Type", "application/json"))
                .post().uri(url)
                .send(ByteBufFlux.fromString(Mono.just(json)))
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Reply(response.status().code(), text)))
                .block(Duration.ofSeconds(120));
    }
}
