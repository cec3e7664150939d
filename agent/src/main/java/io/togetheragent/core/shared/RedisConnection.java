package io.togetheragent.core.shared;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One connection to Redis speaking RESP2, just the commands the shared limit needs. Its own rather than Jedis or
 * Lettuce: those bring a pool or Netty and Reactor (megabytes, and classes an application may carry in other
 * versions) for what is a few lines here. Not thread-safe: {@link SharedLimit} uses it under a lock. Every read
 * is bounded by the socket's timeout, which the caller sets before each command.
 */
final class RedisConnection implements Closeable {
    /** An error reply ({@code -ERR ...}): Redis refused the command. */
    static final class RedisError extends IOException {
        RedisError(String message) {
            super(message);
        }

        boolean isNoScript() {
            return getMessage().startsWith("NOSCRIPT");
        }
    }

    private static final int MAX_BULK_BYTES = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and authenticates and selects the database as the URL says, all by the deadline (on
     * {@link System#nanoTime()}'s clock).
     */
    static RedisConnection open(RedisUrl url, long deadlineNanos) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(url.host, url.port), millisLeft(deadlineNanos));
            plain.setSoTimeout(millisLeft(deadlineNanos));
            Socket socket = plain;
            if (url.tls) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(plain, url.host, url.port, true);
                tls.setSoTimeout(millisLeft(deadlineNanos));
                tls.startHandshake();
                socket = tls;
            }
            RedisConnection connection = new RedisConnection(socket);
            connection.timeout(deadlineNanos);
            if (url.password != null) {
                if (url.user != null) {
                    connection.command("AUTH", url.user, url.password);
                } else {
                    connection.command("AUTH", url.password);
                }
            }
            if (url.database != 0) {
                connection.timeout(deadlineNanos);
                connection.command("SELECT", String.valueOf(url.database));
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Bounds the next reply's wait by the deadline; past it, as good as passed. */
    void timeout(long deadlineNanos) throws IOException {
        socket.setSoTimeout(millisLeft(deadlineNanos));
    }

    /** At least 1: a socket timeout of 0 would mean no timeout at all. */
    private static int millisLeft(long deadlineNanos) throws java.net.SocketTimeoutException {
        long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            throw new java.net.SocketTimeoutException("the deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Sends one command and reads its reply: a Long, a String (null for a nil), or a List of them. */
    Object command(String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream(64);
        write(request, "*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            write(request, "$" + bytes.length + "\r\n");
            request.write(bytes, 0, bytes.length);
            write(request, "\r\n");
        }
        request.writeTo(out);
        out.flush();
        return reply();
    }

    private Object reply() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                if (length > MAX_BULK_BYTES) {
                    throw new IOException("a reply of " + length + " bytes: not Redis, or not for us");
                }
                byte[] bytes = new byte[length + 2];
                for (int read = 0; read < bytes.length; ) {
                    int n = in.read(bytes, read, bytes.length - read);
                    if (n < 0) {
                        throw new EOFException("Redis closed the connection");
                    }
                    read += n;
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(Math.min(count, 16));
                for (int i = 0; i < count; i++) {
                    items.add(reply());
                }
                return items;
            }
            case -1:
                throw new EOFException("Redis closed the connection");
            default:
                throw new IOException("not a RESP reply (first byte " + type + "): is this Redis?");
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\r'; ) {
            if (c < 0) {
                throw new EOFException("Redis closed the connection");
            }
            if (line.length() > 4096) {
                throw new IOException("a reply line without end: is this Redis?");
            }
            line.append((char) c);
        }
        if (in.read() != '\n') {
            throw new IOException("a reply line without its newline: is this Redis?");
        }
        return line.toString();
    }

    private static void write(ByteArrayOutputStream to, String ascii) {
        byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        to.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing what failed: nothing more to do.
        }
    }
}
