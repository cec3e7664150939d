package io.togetheragent.it.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.OutputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12's HttpClient, as a service calling a bearer-token API sets it up (without Jetty's handler of 401
 * challenges, which fails a 401 that has none): blocking {@code send()} by default; {@code --async} sends with a
 * listener; {@code --stream} reads the body as a stream ({@code InputStreamResponseListener});
 * {@code --unreplayable} sends an {@code InputStream} body; {@code --publisher} other than {@code string} writes the
 * body after sending, as Spring does, to an {@code OutputStreamRequestContent}: {@code output-stream} at once,
 * {@code slow} half and the rest 800 ms later, {@code failing} half and then fails it; each such call's line is
 * followed by {@code ELAPSED <call> <ms>}, from its send to its answer or failure.
 */
public final class Jetty12Probe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new SslContextFactory.Client());
        HttpClient client = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(
                connector));
        client.start();
        // As services calling a bearer-token API do: Jetty's own handler fails a 401 that has no challenge header.
        client.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
        try {
            if (p.async) {
                async(client, p);
            } else {
                p.runCalls(i -> call(client, p, i));
            }
        } finally {
            p.exit();
        }
    }

    private static Request request(HttpClient client, ProbeArgs p) {
        Request request = client.newRequest(p.url).method(p.get ? "GET" : "POST");
        if (!p.get) {
            request.body(p.unreplayable
                    ? new InputStreamRequestContent("application/json", new ByteArrayInputStream(p.bodyBytes()))
                    : new StringRequestContent("application/json", p.body()));
        }
        p.headers.forEach((name, value) -> request.headers(h -> h.put(name, value)));
        if (p.callTimeoutMillis > 0) {
            request.timeout(p.callTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        return request;
    }

    private static void call(HttpClient client, ProbeArgs p, int i) {
        Request request = request(client, p);
        try {
            if (!p.get && !p.publisher.equals("string")) {
                // As Spring's Jetty factory does: the content kept apart, written after the send.
                OutputStreamRequestContent content = new OutputStreamRequestContent("application/json");
                InputStreamResponseListener listener = new InputStreamResponseListener();
                long start = System.nanoTime();
                request.body(content).send(listener);
                writeAfterSending(p, content);
                try {
                    Response r = listener.get(60, TimeUnit.SECONDS);
                    ProbeArgs.reportStream(i, r.getStatus(), r.getHeaders().get("x-test"), listener.getInputStream());
                } finally {
                    System.out.println("ELAPSED " + i + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            } else if (p.stream) {
                InputStreamResponseListener listener = new InputStreamResponseListener();
                request.send(listener);
                Response r = listener.get(60, TimeUnit.SECONDS);
                ProbeArgs.reportStream(i, r.getStatus(), r.getHeaders().get("x-test"), listener.getInputStream());
            } else {
                ContentResponse r = p.abortingLater(i,
                        () -> request.abort(new Exception("cancelled by the application")), request::send);
                ProbeArgs.reportStatus(i, r.getStatus(), r.getHeaders().get("x-test"), r.getContent());
            }
        } catch (ExecutionException e) {
            ProbeArgs.reportError(i, e.getCause());
        } catch (Throwable t) {
            ProbeArgs.reportError(i, t);
        }
    }

    private static void writeAfterSending(ProbeArgs p, OutputStreamRequestContent content) throws Exception {
        byte[] body = p.bodyBytes();
        int half = body.length / 2;
        OutputStream out = content.getOutputStream();
        out.write(body, 0, half);
        out.flush();
        if (p.publisher.equals("failing")) {
            content.fail(new IOException("the application's body failed"));
            return;
        }
        if (p.publisher.equals("slow")) {
            Thread.sleep(800);
        }
        out.write(body, half, body.length - half);
        out.close();
    }

    private static void async(HttpClient client, ProbeArgs p) throws Exception {
        AtomicInteger callbacks = new AtomicInteger();
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < p.calls; i++) {
            ProbeArgs.callStarts(i);
            CompletableFuture<Object> done = new CompletableFuture<>();
            Request request = request(client, p);
            request.send(new BufferingResponseListener() {
                @Override
                public void onComplete(org.eclipse.jetty.client.Result result) {
                    callbacks.incrementAndGet();
                    if (result.isFailed()) {
                        done.complete(result.getFailure());
                    } else {
                        done.complete(new Object[] {result.getResponse(), getContent()});
                    }
                }
            });
            calls.add(done);
            requests.add(request);
        }
        if (p.cancel) {
            p.intoTheWait();
            System.out.println("CANCELLED " + requests.get(0).abort(new Exception("cancelled by the application"))
                    .get(5, TimeUnit.SECONDS));
        } else if (p.threads == 1) {
            p.reportThreadsSleepingInTheWait();
        }
        for (int i = 0; i < calls.size(); i++) {
            Object outcome = calls.get(i).get(60, TimeUnit.SECONDS);
            if (outcome instanceof Throwable) {
                ProbeArgs.reportError(i, (Throwable) outcome);
            } else {
                Response r = (Response) ((Object[]) outcome)[0];
                ProbeArgs.reportStatus(i, r.getStatus(), r.getHeaders().get("x-test"),
                        (byte[]) ((Object[]) outcome)[1]);
            }
        }
        // Time for any second, wrong callback to show up.
        Thread.sleep(300);
        System.out.println("CALLBACKS " + callbacks.get());
    }
}
