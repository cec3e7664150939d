package io.togetheragent.testapp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x 5's HttpClient (needs Java 11): each call is made on a Vert.x context and the calling thread waits for its
 * future, as a blocking service wrapping Vert.x does; started at the first call. Made from the calling thread
 * itself, a call may be told of its response after the body has ended, and then {@code body()} never completes
 * (Vert.x's, with or without the agent: about one run in ten of 5000 calls on 4 threads hung here).
 */
final class VertxChatClient implements ChatClient {
    private Vertx vertx;
    private HttpClient client;
    private Context context;

    private synchronized Context context() {
        if (client == null) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            client = vertx.createHttpClient();
            context = vertx.getOrCreateContext();
        }
        return context;
    }

    /** Vert.x's threads are not daemons: they would keep the test-app running after its calls. */
    @Override
    public synchronized void close() {
        if (vertx != null) {
            vertx.close();
        }
    }

    @Override
    public Reply post(String url, String apiKey, String json) throws IOException {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Authorization", "Bearer " + apiKey).putHeader("Content-Type", "application/json")
                .setTimeout(120_000);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        context().runOnContext(v -> client.request(options)
                .compose(request -> request.send(Buffer.buffer(json)))
                .compose(response -> response.body().map(body -> new Reply(response.statusCode(),
                        body.toString())))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        reply.complete(done.result());
                    } else {
                        reply.completeExceptionally(done.cause());
                    }
                }));
        try {
            return reply.get(130, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(e.getCause() != null ? e.getCause() : e);
        }
    }
}
