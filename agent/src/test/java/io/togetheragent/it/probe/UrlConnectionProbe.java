package io.togetheragent.it.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** A plain HttpURLConnection application, written the way legacy code writes it. */
public final class UrlConnectionProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        for (int i = 0; i < p.calls; i++) {
            try {
                call(p, i);
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        }
        System.exit(0);
    }

    private static void call(ProbeArgs p, int i) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(p.url).openConnection();
        System.out.println("CLASS " + c.getClass().getName());
        p.headers.forEach(c::setRequestProperty);
        if (p.callTimeoutMillis > 0) {
            c.setReadTimeout((int) p.callTimeoutMillis);
        }
        if (!p.get) {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            if (p.unreplayable) {
                // Streamed as written: the agent keeps a copy only up to max-replay-bytes.
                c.setChunkedStreamingMode(16);
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(p.bodyBytes());
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        ProbeArgs.reportStatus(i, status, c.getHeaderField("x-test"), in == null ? new byte[0] : readAll(in));
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
