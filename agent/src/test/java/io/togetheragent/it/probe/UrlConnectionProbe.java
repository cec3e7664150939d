package io.togetheragent.it.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain HttpURLConnection application, written the way legacy code writes it, with its known traps. */
public final class UrlConnectionProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        p.runCalls(i -> {
            try {
                call(p, i);
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }

    /**
     * A fixed-length streamed body written wrongly ({@code --trap streamed-short}, {@code streamed-long},
     * {@code streamed-write-after-close}): what each step threw, one {@code TRAP} line each.
     */
    private static void misstreamed(HttpURLConnection c, ProbeArgs p) {
        byte[] body = p.bodyBytes();
        int declared = body.length + ("streamed-short".equals(p.trap) ? 1 : "streamed-long".equals(p.trap) ? -1 : 0);
        c.setFixedLengthStreamingMode(declared);
        OutputStream[] out = new OutputStream[1];
        step("open", () -> out[0] = c.getOutputStream());
        step("write", () -> out[0].write(body));
        step("close", () -> out[0].close());
        if ("streamed-write-after-close".equals(p.trap)) {
            step("write again", () -> out[0].write(1));
        }
        step("status", () -> System.out.println("TRAP status " + c.getResponseCode()));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(String name, Step step) {
        try {
            step.run();
            System.out.println("TRAP " + name + ": none");
        } catch (Exception e) {
            System.out.println("TRAP " + name + ": " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    static void call(ProbeArgs p, int i) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(p.url).openConnection();
        System.out.println("CLASS " + c.getClass().getName() + " https=" + (c instanceof HttpsURLConnection));
        if (p.sslTrust != null) {
            HttpsURLConnection https = (HttpsURLConnection) c;
            https.setSSLSocketFactory(trusting(p.sslTrust).getSocketFactory());
            https.setHostnameVerifier((host, session) -> host.equals("api.together.xyz"));
        }
        p.headers.forEach(c::setRequestProperty);
        c.addRequestProperty("X-Multi", "one");
        c.addRequestProperty("X-Multi", "two");
        if (p.callTimeoutMillis > 0) {
            c.setReadTimeout((int) p.callTimeoutMillis);
        }
        if ("no-redirects".equals(p.trap)) {
            c.setInstanceFollowRedirects(false);
        }
        String method = p.method != null ? p.method : p.get ? "GET" : "POST";
        if (!"output-stream-turns-get-into-post".equals(p.trap)) {
            c.setRequestMethod(method);
        }
        if (p.trap != null && p.trap.startsWith("streamed-")) {
            c.setDoOutput(true);
            misstreamed(c, p);
            return;
        }
        if (method.equals("POST") || method.equals("PUT")) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            if (p.unreplayable || "chunked".equals(p.streaming)) {
                c.setChunkedStreamingMode(16);
            } else if ("fixed".equals(p.streaming)) {
                c.setFixedLengthStreamingMode(p.bodyBytes().length);
            }
            if ("connect-first".equals(p.trap)) {
                // As Spring's request factory does.
                c.connect();
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(p.bodyBytes());
            }
        }
        if ("disconnect-during-wait".equals(p.trap)) {
            Thread t = new Thread(() -> {
                sleep(300);
                c.disconnect();
                System.out.println("DISCONNECTED");
            });
            t.start();
        }
        int status = c.getResponseCode();
        if ("many-response-codes".equals(p.trap)) {
            for (int k = 0; k < 5; k++) {
                status = c.getResponseCode();
                c.getHeaderFields();
            }
        }
        if (c instanceof HttpsURLConnection && p.url.startsWith("https:")) {
            System.out.println("CIPHER " + ((HttpsURLConnection) c).getCipherSuite());
        }
        String testHeader = c.getHeaderField("x-test");
        if ("write-after-read".equals(p.trap)) {
            try {
                c.getOutputStream().write(1);
                System.out.println("TRAP none");
            } catch (Exception e) {
                System.out.println("TRAP " + e.getClass().getName() + ": " + e.getMessage());
            }
            // Asking anything more now makes the JDK itself send the request again, without its body, and hang.
            ProbeArgs.reportStatus(i, status, testHeader, new byte[0]);
            return;
        }
        InputStream in;
        try {
            in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        } catch (IOException e) {
            ProbeArgs.reportError(i, e);
            return;
        }
        ProbeArgs.reportStream(i, status, testHeader, in);
    }

    private static SSLContext trusting(String trustStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Paths.get(trustStore))) {
            ks.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (InputStream closing = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = closing.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
