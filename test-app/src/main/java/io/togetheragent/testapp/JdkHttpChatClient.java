package io.togetheragent.testapp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * java.net.http, as LangChain4j uses it by default; or with the body from a publisher the JDK cannot ask again
 * ({@code fromPublisher}), as Spring's JDK request factory sends it.
 */
final class JdkHttpChatClient implements ChatClient {
    private final HttpClient client = HttpClient.newHttpClient();
    private final boolean ownPublisher;

    JdkHttpChatClient(boolean ownPublisher) {
        this.ownPublisher = ownPublisher;
    }

    @Override
    public Reply post(String url, String apiKey, String json) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(ownPublisher ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(json))
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
