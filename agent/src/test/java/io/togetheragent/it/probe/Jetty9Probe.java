package io.togetheragent.it.probe;

import java.io.ByteArrayInputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.util.InputStreamContentProvider;
import org.eclipse.jetty.client.util.InputStreamResponseListener;
import org.eclipse.jetty.client.util.StringContentProvider;

/**
 * Jetty's HttpClient 9.4, 10 or 11 (compiled against 9.4, with only what all three have), as a service calling a
 * bearer-token API sets it up (without Jetty's handler of 401 challenges, which fails a 401 that has none):
 * blocking {@code send()} by default; {@code --stream} reads the body as a stream; {@code --unreplayable} sends an
 * {@code InputStream} body.
 */
public final class Jetty9Probe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        HttpClient client = newClient();
        client.start();
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        try {
            p.runCalls(i -> call(client, p, i));
        } finally {
            System.exit(0);
        }
    }

    /** 9.4 has TLS only when given an SslContextFactory; 10 and 11 have one of their own and no such constructor. */
    private static HttpClient newClient() throws Exception {
        try {
            return HttpClient.class.getConstructor(org.eclipse.jetty.util.ssl.SslContextFactory.class)
                    .newInstance(new org.eclipse.jetty.util.ssl.SslContextFactory.Client());
        } catch (NoSuchMethodException jetty10OrLater) {
            return new HttpClient();
        }
    }

    @SuppressWarnings("deprecation")
    private static void call(HttpClient client, ProbeArgs p, int i) {
        Request request = client.newRequest(p.url).method(p.get ? "GET" : "POST");
        if (!p.get) {
            request.content(p.unreplayable
                    ? new InputStreamContentProvider(new ByteArrayInputStream(p.bodyBytes()))
                    : new StringContentProvider(p.body()), "application/json");
        }
        p.headers.forEach(request::header);
        if (p.callTimeoutMillis > 0) {
            request.timeout(p.callTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        try {
            if (p.stream) {
                InputStreamResponseListener listener = new InputStreamResponseListener();
                request.send(listener);
                Response r = listener.get(60, TimeUnit.SECONDS);
                ProbeArgs.reportStream(i, r.getStatus(), header(r, "x-test"), listener.getInputStream());
            } else {
                ContentResponse r = p.abortingLater(i,
                        () -> request.abort(new Exception("cancelled by the application")), request::send);
                ProbeArgs.reportStatus(i, r.getStatus(), header(r, "x-test"), r.getContent());
            }
        } catch (ExecutionException e) {
            ProbeArgs.reportError(i, e.getCause());
        } catch (Throwable t) {
            ProbeArgs.reportError(i, t);
        }
    }

    /** {@code HttpFields} is a class in 9.4 and an interface from 10 on: only its iteration links on both. */
    @SuppressWarnings("unchecked")
    private static String header(Response r, String name) {
        Iterable<org.eclipse.jetty.http.HttpField> fields =
                (Iterable<org.eclipse.jetty.http.HttpField>) (Object) r.getHeaders();
        for (org.eclipse.jetty.http.HttpField f : fields) {
            if (f.getName().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }
}
