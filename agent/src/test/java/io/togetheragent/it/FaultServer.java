package io.togetheragent.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 server on loopback that misbehaves at the TCP level as scripted: each request takes the next
 * {@link Reply} (or a plain 200 once the script is used up), which writes raw bytes, possibly a cut-off body or a
 * broken chunked one, and then keeps the connection, closes it, resets it, or never answers at all. Every request
 * is recorded with whether its body arrived whole, so a test can prove the server only ever got whole, identical
 * bodies. The Together stand-in cannot do this: the JDK's server frames every response correctly.
 */
final class FaultServer implements AutoCloseable {
    static final String OK_BODY = "{\"id\":\"ok\",\"choices\":[{\"message\":{\"content\":\"hi\"}}]}";

    /** What the connection does once the reply is written. */
    enum After { KEEP_OPEN, CLOSE, RESET, HANG }

    /** What the server does with a request. */
    static final class Reply {
        final byte[] bytes;
        final After after;
        /** How much of the request body to read before answering: all of it, or -1 for none, or this many bytes. */
        final int readBody;
        /** Written this long after {@link #bytes}, or nothing. */
        final long pauseMillis;
        final byte[] afterPause;

        private Reply(byte[] bytes, After after, int readBody) {
            this(bytes, after, readBody, 0, new byte[0]);
        }

        private Reply(byte[] bytes, After after, int readBody, long pauseMillis, byte[] afterPause) {
            this.bytes = bytes;
            this.after = after;
            this.readBody = readBody;
            this.pauseMillis = pauseMillis;
            this.afterPause = afterPause;
        }

        /**
         * A 200 event stream, as {@code stream: true} gets: the first event at once, the second and the end of the
         * body {@code pauseMillis} later. A client that buffers the body shows the application both at once.
         */
        static Reply eventStream(String first, long pauseMillis, String second) {
            String head = head(200).append("Content-Type: text/event-stream\r\n")
                    .append("Transfer-Encoding: chunked\r\n\r\n").toString();
            return new Reply(concat(head.getBytes(StandardCharsets.ISO_8859_1), chunk(first)), After.KEEP_OPEN,
                    Integer.MAX_VALUE, pauseMillis,
                    concat(chunk(second), "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        }

        private static byte[] chunk(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            return concat((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1),
                    concat(b, "\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        }

        /** A response with a Content-Length of {@code declared} (-1: the body's own) and the body as given. */
        static Reply status(int status, String body, int declared, After after, String... headers) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = head(status, headers).append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(declared < 0 ? b.length : declared).append("\r\n\r\n");
            return new Reply(concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), b), after,
                    Integer.MAX_VALUE);
        }

        /** A whole response on a kept connection. */
        static Reply status(int status, String body, String... headers) {
            return status(status, body, -1, After.KEEP_OPEN, headers);
        }

        /** A chunked response whose body breaks off after one chunk, before the last (empty) chunk. */
        static Reply brokenChunked(int status, String firstChunk, After after, String... headers) {
            byte[] b = firstChunk.getBytes(StandardCharsets.UTF_8);
            String head = head(status, headers).append("Content-Type: application/json\r\n")
                    .append("Transfer-Encoding: chunked\r\n\r\n").append(Integer.toHexString(b.length)).append("\r\n")
                    .toString();
            return new Reply(concat(head.getBytes(StandardCharsets.ISO_8859_1), b), after, Integer.MAX_VALUE);
        }

        /** No answer: the connection is closed or reset after reading {@code bodyBytes} of the request body. */
        static Reply drop(After after, int bodyBytes) {
            return new Reply(new byte[0], after, bodyBytes);
        }

        private static StringBuilder head(int status, String... headers) {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Scripted\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            return head;
        }
    }

    /** One request as it reached the server. */
    static final class Received {
        final String method;
        final String path;
        final byte[] body;
        /** Whether the whole body the request announced arrived. */
        final boolean whole;

        Received(String method, String path, byte[] body, boolean whole) {
            this.method = method;
            this.path = path;
            this.body = body;
            this.whole = whole;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-server");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closed = new CountDownLatch(1);
    /** How long a kept-alive connection may idle before the server closes it, as real servers do; 0 for ever. */
    private volatile int idleMillis;

    FaultServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/v1/chat/completions";
    }

    FaultServer closingIdleConnectionsAfter(int millis) {
        idleMillis = millis;
        return this;
    }

    FaultServer then(Reply reply) {
        script.add(reply);
        return this;
    }

    FaultServer then(int times, Reply reply) {
        for (int i = 0; i < times; i++) {
            script.add(reply);
        }
        return this;
    }

    List<Received> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                open.add(connection);
                threads.execute(() -> serve(connection));
            } catch (IOException closing) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (Socket c = connection) {
            c.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(c.getInputStream());
            OutputStream out = c.getOutputStream();
            while (true) {
                c.setSoTimeout(idleMillis);
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                c.setSoTimeout(0);
                Reply reply = script.poll();
                if (reply == null) {
                    reply = Reply.status(200, OK_BODY);
                }
                record(head, in, reply.readBody);
                out.write(reply.bytes);
                out.flush();
                if (reply.afterPause.length > 0) {
                    Thread.sleep(reply.pauseMillis);
                    out.write(reply.afterPause);
                    out.flush();
                }
                switch (reply.after) {
                    case KEEP_OPEN:
                        continue;
                    case CLOSE:
                        c.shutdownOutput();
                        drain(in);
                        return;
                    case RESET:
                        if (reply.bytes.length > 0) {
                            // The client reads what was sent before the reset arrives: a reset discards unread data.
                            Thread.sleep(200);
                        }
                        c.setSoLinger(true, 0);
                        return;
                    case HANG:
                        closed.await();
                        return;
                    default:
                        throw new IllegalStateException();
                }
            }
        } catch (IOException | InterruptedException gone) {
            // The client went away: nothing to answer.
        }
    }

    /** Reads until the client closes its side too, so that closing ours sends a FIN, not a reset. */
    private static void drain(InputStream in) {
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private void record(List<String> head, InputStream in, int limit) throws IOException {
        String[] line = head.get(0).split(" ");
        long length = 0;
        boolean chunked = false;
        for (String h : head.subList(1, head.size())) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (limit < 0) {
            received.add(new Received(line[0], line[1], new byte[0], length == 0 && !chunked));
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean whole = chunked ? readChunked(in, body, limit) : readFixed(in, body, length, limit);
        received.add(new Received(line[0], line[1], body.toByteArray(), whole));
    }

    private static boolean readFixed(InputStream in, ByteArrayOutputStream body, long length, int limit)
            throws IOException {
        for (long i = 0; i < length; i++) {
            if (i >= limit) {
                return false;
            }
            int b = in.read();
            if (b < 0) {
                return false;
            }
            body.write(b);
        }
        return true;
    }

    private static boolean readChunked(InputStream in, ByteArrayOutputStream body, int limit) throws IOException {
        while (true) {
            String size = readLine(in);
            if (size == null) {
                return false;
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                readLine(in);
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (body.size() >= limit) {
                    return false;
                }
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                body.write(b);
            }
            readLine(in);
        }
    }

    /** The request line and headers, or null when the connection ended first. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = readLine(in)) != null; ) {
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue;
                }
                return lines;
            }
            lines.add(line);
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return null;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
        threads.shutdownNow();
    }
}
