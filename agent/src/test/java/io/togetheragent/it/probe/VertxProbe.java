package io.togetheragent.it.probe;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vert.x 4 or 5 (compiled against 4, using only what 5 has alike): the core {@code HttpClient} by default (with
 * {@code --variant default-host} the client's options name the host and each request only its path), its
 * {@code WebClient} with {@code --variant webclient} ({@code --publisher buffer|json|json-object} says which of
 * {@code sendBuffer}, {@code sendJson}, {@code sendJsonObject}). Vert.x's blocked-thread checker is set to report
 * any event-loop task over 1 s. {@code --async} makes every call from an event loop at once; {@code --stream}
 * reads the body in parts as they come; {@code --unreplayable} writes the body in two chunked parts;
 * {@code --cancel} resets the first call's request in the agent's first wait; {@code --handler} creates
 * the request with Vert.x 4's form that calls back.
 */
public final class VertxProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        // Names resolve through the JDK, as the tests' hosts file says, not Vert.x's own resolver.
        System.setProperty("vertx.disableDnsResolver", "true");
        // Any event-loop task over 1 s is reported: a wait of the tests' (2 s) slept there would be. A JVM's first
        // call loads classes on the event loop (Vert.x's own, the agent's), which took up to 0.35 s here.
        Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(100)
                .setMaxEventLoopExecuteTime(1000).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        // Vert.x 5 returns its own subtype here: called by name, so one probe links against both.
        HttpClientOptions clientOptions = new HttpClientOptions().setVerifyHost(true);
        if ("default-host".equals(p.variant)) {
            // The client names the host; each request only its path.
            java.net.URI url = java.net.URI.create(p.url);
            clientOptions.setDefaultHost(url.getHost()).setDefaultPort(url.getPort());
        }
        HttpClient client = (HttpClient) Vertx.class.getMethod("createHttpClient", HttpClientOptions.class)
                .invoke(vertx, clientOptions);
        WebClient web = "webclient".equals(p.variant) ? WebClient.create(vertx) : null;
        try {
            if (p.async) {
                async(vertx, client, web, p);
            } else {
                Context context = vertx.getOrCreateContext();
                p.runCalls(i -> report(i, call(context, client, web, p, i)));
            }
        } finally {
            p.exit();
        }
    }

    /** What a call ended with: status, test header, body, the failure it broke off with; or a failure. */
    private static final class Outcome {
        int status;
        String testHeader;
        byte[] body;
        Throwable failure;
        Throwable error;
    }

    /**
     * One call. The core client's are made on one Vert.x context, as a Vert.x application makes them: made from the
     * main thread, a call hears of its answer through the context it was made from, not always the one its body
     * arrives on, and may then ask for the body after it ended (Vert.x 4 throws IllegalStateException, 5 never ends
     * the body) — a race of the caller's, seen with or without the agent, which made these tests fail now and then
     * under load. WebClient reads the body itself, so its calls stay on the calling thread: they keep the agent's
     * turns for calls made off any Vert.x context under test.
     */
    private static Outcome call(Context context, HttpClient client, WebClient web, ProbeArgs p, int i) {
        if (web != null) {
            try {
                return outcome(webCall(web, p).toCompletionStage().toCompletableFuture());
            } catch (Throwable t) {
                return failed(t);
            }
        }
        java.util.concurrent.CompletableFuture<Outcome> done = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> {
            ProbeArgs.callStarts(i);
            try {
                coreCall(client, p, null).onComplete(ar -> {
                    if (ar.succeeded()) {
                        done.complete(ar.result());
                    } else {
                        done.completeExceptionally(ar.cause());
                    }
                });
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return outcome(done);
    }

    private static Outcome outcome(java.util.concurrent.CompletableFuture<Outcome> done) {
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return failed(e.getCause());
        } catch (Throwable t) {
            return failed(t);
        }
    }

    private static Outcome failed(Throwable t) {
        Outcome o = new Outcome();
        o.error = t;
        return o;
    }

    private static Future<Outcome> coreCall(HttpClient client, ProbeArgs p, List<HttpClientRequest> sent) {
        RequestOptions options = new RequestOptions().setMethod(p.get ? HttpMethod.GET : HttpMethod.POST);
        if ("default-host".equals(p.variant)) {
            options.setURI(java.net.URI.create(p.url).getRawPath());
        } else {
            options.setAbsoluteURI(p.url);
        }
        if (p.callTimeoutMillis > 0) {
            options.setTimeout(p.callTimeoutMillis);
        }
        byte[] body = p.bodyBytes();
        Future<HttpClientRequest> created;
        if (p.handler) {
            // Vert.x 4's form that calls back (gone in 5).
            Promise<HttpClientRequest> promise = Promise.promise();
            client.request(options, promise);
            created = promise.future();
        } else {
            created = client.request(options);
        }
        return created.compose(request -> {
            p.headers.forEach(request::putHeader);
            if (sent != null) {
                sent.add(request);
            }
            if (p.get) {
                return request.send();
            }
            request.putHeader("Content-Type", "application/json");
            if (p.unreplayable) {
                request.setChunked(true);
                request.write(Buffer.buffer(java.util.Arrays.copyOf(body, body.length / 2)));
                request.end(Buffer.buffer(java.util.Arrays.copyOfRange(body, body.length / 2, body.length)));
                return request.response();
            }
            return request.send(Buffer.buffer(body));
        }).compose(response -> read(response, p));
    }

    private static Future<Outcome> read(HttpClientResponse response, ProbeArgs p) {
        Promise<Outcome> done = Promise.promise();
        Outcome o = new Outcome();
        o.status = response.statusCode();
        o.testHeader = response.getHeader("x-test");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        response.handler(part -> {
            if (p.stream) {
                ProbeArgs.reportChunk(part.length());
            }
            bytes.write(part.getBytes(), 0, part.length());
        });
        response.exceptionHandler(t -> {
            o.body = bytes.toByteArray();
            o.failure = t;
            done.tryComplete(o);
        });
        response.endHandler(end -> {
            o.body = bytes.toByteArray();
            done.tryComplete(o);
        });
        return done.future();
    }

    private static Future<Outcome> webCall(WebClient web, ProbeArgs p) {
        HttpRequest<Buffer> request = p.get ? web.getAbs(p.url) : web.postAbs(p.url);
        p.headers.forEach(request::putHeader);
        if (p.callTimeoutMillis > 0) {
            request.timeout(p.callTimeoutMillis);
        }
        Future<HttpResponse<Buffer>> response;
        if (p.get) {
            response = request.send();
        } else if ("json".equals(p.publisher)) {
            response = request.sendJson(new JsonObject(p.body()).getMap());
        } else if ("json-object".equals(p.publisher)) {
            response = request.sendJsonObject(new JsonObject(p.body()));
        } else {
            request.putHeader("Content-Type", "application/json");
            response = request.sendBuffer(Buffer.buffer(p.bodyBytes()));
        }
        return response.map(r -> {
            Outcome o = new Outcome();
            o.status = r.statusCode();
            o.testHeader = r.getHeader("x-test");
            o.body = r.body() == null ? new byte[0] : r.body().getBytes();
            return o;
        });
    }

    private static void report(int i, Outcome o) {
        if (o.error != null) {
            ProbeArgs.reportError(i, o.error);
        } else {
            ProbeArgs.reportStreamed(i, o.status, o.testHeader, o.body == null ? new byte[0] : o.body, o.failure);
        }
    }

    /** Every call at once, from an event loop; each future must complete exactly once. */
    private static void async(Vertx vertx, HttpClient client, WebClient web, ProbeArgs p) throws Exception {
        AtomicInteger callbacks = new AtomicInteger();
        List<java.util.concurrent.CompletableFuture<Outcome>> calls = new ArrayList<>();
        List<HttpClientRequest> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < p.calls; i++) {
            java.util.concurrent.CompletableFuture<Outcome> done = new java.util.concurrent.CompletableFuture<>();
            calls.add(done);
            vertx.runOnContext(v -> {
                Future<Outcome> call = web != null ? webCall(web, p) : coreCall(client, p, sent);
                call.onComplete(ar -> {
                    callbacks.incrementAndGet();
                    done.complete(ar.succeeded() ? ar.result() : failed(ar.cause()));
                });
            });
        }
        if (p.cancel) {
            p.intoTheWait();
            HttpClientRequest first = sent.get(0);
            // reset() returns a boolean in Vert.x 4, a future in 5: called by name.
            Object reset = HttpClientRequest.class.getMethod("reset").invoke(first);
            System.out.println("CANCELLED " + reset);
        } else if (p.threads == 1) {
            p.reportThreadsSleepingInTheWait();
        }
        for (int i = 0; i < calls.size(); i++) {
            report(i, calls.get(i).get(60, TimeUnit.SECONDS));
        }
        Thread.sleep(300);
        System.out.println("CALLBACKS " + callbacks.get());
    }
}
