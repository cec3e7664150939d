package io.togetheragent.urlconnection;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.PeekedBody;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.Mode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.security.Permission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection the application holds for a Together URL. Until the response is asked for, every call goes to
 * the JDK's own connection (so its rules — GET turned POST by {@code getOutputStream()}, no writing after
 * reading — hold as ever); the first question about the response sends the request, retries it on fresh JDK
 * connections as the retry core decides, and from then on every call answers from the final attempt.
 *
 * <p>For an https URL the application is handed a {@link RetryingHttpsUrlConnection} around this one, so that
 * casts to {@code HttpsURLConnection} keep working; a plain http URL (a gateway, a test) gets this one alone, as
 * an {@code HttpsURLConnection}'s constructor loads the JDK's default {@code SSLContext}, which plain http never
 * needs.
 */
public final class RetryingUrlConnection extends HttpURLConnection {
    /** The most of a 401/402/429 body the key check reads; Together's error bodies are far smaller. */
    private static final int KEY_CHECK_BODY_BYTES = 64 * 1024;
    private final URL requested;
    private final Proxy proxy;
    private final RequestRecord record = new RequestRecord();
    private HttpURLConnection current;
    private boolean answered;
    private IOException failedRetry;
    private volatile boolean disconnected;
    /** The last discarded response's body, served when retrying stops after it was read away. */
    private byte[] discardedBody;
    private boolean stoppedAfterDiscard;
    /** The Authorization header as the application set it (what is sent may be repaired). */
    private String authorization;
    /** An attempt's error body, read for the key check and served back whole by getErrorStream. */
    private InputStream heldError;
    private HttpURLConnection heldFrom;
    /** The response headers of {@link #headersOf}, the attempt they were read from. */
    private AttemptHeaders responseHeaders;
    private HttpURLConnection headersOf;
    /**
     * Held while the response is first asked for: the request is sent, waited on and retried under it. A lock, not
     * a monitor: on Java 21 to 23 a virtual thread that waits holding a monitor pins its carrier thread.
     */
    private final ReentrantLock answering = new ReentrantLock();
    /**
     * A streamed body's call, begun as its body was sent: the first attempt's turn was waited then, before the JDK
     * sent the request's headers (see RecordingOutputStream).
     */
    private CallRetry streamed;
    /** Whether the application connected before it opened the body (Spring's request factory does). */
    private boolean connectedEarly;

    RetryingUrlConnection(HttpURLConnection first, URL url, Proxy proxy) {
        super(url);
        this.current = first;
        this.requested = url;
        this.proxy = proxy;
    }

    /** Sends the request, with retries, the first time anything about the response is asked. */
    private HttpURLConnection answered() throws IOException {
        answering.lock();
        try {
            return sentWithRetries();
        } finally {
            answering.unlock();
        }
    }

    private HttpURLConnection sentWithRetries() throws IOException {
        if (failedRetry != null) {
            throw failedRetry;
        }
        if (answered) {
            return current;
        }
        record.sendHeldBody();
        answered = true;
        CallRetry retry = streamed != null ? streamed : begin(false);
        if (retry == null) {
            current.getResponseCode();
            return current;
        }
        if (retry == streamed) {
            String why = record.whyNotReplayable(RetryPolicy.current().settings().maxReplayBytes());
            if (why != null) {
                retry.cannotReplay(why);
            }
        }
        int status = firstStatus(retry);
        for (long delay; (delay = nextDelayNanos(retry, status)) >= 0; ) {
            discardedBody = discard(current, heldFrom == current ? heldError : current.getErrorStream());
            try {
                retry.await(delay, () -> disconnected);
                retry.awaitTurn(() -> disconnected);
            } catch (InterruptedException e) {
                retry.attemptFailed();
                throw new InterruptedIOException("interrupted while waiting to retry " + requested.getHost());
            }
            if (disconnected) {
                retry.attemptFailed();
                stoppedAfterDiscard = true;
                break;
            }
            try {
                HttpURLConnection next = UrlConnections.open(requested, proxy);
                record.replay(current, next);
                status = next.getResponseCode();
                current = next;
            } catch (IOException e) {
                retry.attemptFailed();
                // A retry that could not be sent fails every later call the same way: a half-sent attempt must
                // never be asked again, as the JDK would, without its body.
                failedRetry = e;
                throw e;
            } catch (RuntimeException e) {
                retry.attemptFailed();
                // The agent's own failure: stop here, and hand over the last server answer as it came.
                FailOpen.report("retrying an HttpURLConnection", e);
                stoppedAfterDiscard = true;
                break;
            }
        }
        return current;
    }

    /**
     * Sends the first attempt in its turn. The JDK sends a request when its response is first asked for, unless the
     * application chose a streaming mode: then the request went out as it was written, after its turn.
     */
    private int firstStatus(CallRetry retry) throws IOException {
        if (retry != streamed) {
            takeTurn(retry, false);
        }
        try {
            return current.getResponseCode();
        } catch (IOException | RuntimeException e) {
            retry.attemptFailed();
            throw e;
        }
    }

    /**
     * Waits an attempt's turn; {@code paceOnly} before a streamed request's headers (see CallRetry.awaitPace).
     * Returns whether the request was held back (known only of a pace).
     */
    private boolean takeTurn(CallRetry retry, boolean paceOnly) throws InterruptedIOException {
        try {
            if (paceOnly) {
                return retry.awaitPace(() -> disconnected);
            }
            retry.awaitTurn(() -> disconnected);
            return false;
        } catch (InterruptedException e) {
            retry.attemptFailed();
            throw new InterruptedIOException("interrupted while waiting for the turn of " + requested.getHost());
        }
    }

    /** @param openingTheBody whether the JDK's stream is about to be opened, which turns a GET into a POST */
    private CallRetry begin(boolean openingTheBody) {
        try {
            RetryPolicy policy = RetryPolicy.current();
            int limit = policy.settings().maxReplayBytes();
            String path = requested.getPath().isEmpty() ? "/" : requested.getPath();
            String method = openingTheBody && "GET".equals(current.getRequestMethod()) ? "POST"
                    : current.getRequestMethod();
            CallRetry retry = policy.begin(method, requested.getHost(), UrlConnections.port(requested), path,
                    record.whyNotReplayable(limit), Long.MAX_VALUE, authorization, true);
            return retry == null ? null : retry.identify(record::requestProperty, record::bodyBytes);
        } catch (Throwable t) {
            FailOpen.report("the HttpURLConnection retry", t);
            return null;
        }
    }

    /**
     * Reads a discarded response's body, so its connection can be kept alive and used again; returns it (null when
     * there was none, or more than 64 KiB, which is then dropped with its connection).
     */
    private static byte[] discard(HttpURLConnection attempt, InputStream errorStream) {
        try (InputStream err = errorStream) {
            if (err == null) {
                return null;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; body.size() <= 1 << 16 && (n = err.read(buf)) > 0; ) {
                body.write(buf, 0, n);
            }
            return body.size() <= 1 << 16 ? body.toByteArray() : null;
        } catch (IOException e) {
            attempt.disconnect();
            return null;
        }
    }

    /**
     * The core's decision on the current answer. Its headers are read here, outside the core's own guard: should
     * that fail (the agent's bug, as the JDK's getters on a connected connection do not), the answer goes to the
     * application as it came.
     */
    private long nextDelayNanos(CallRetry retry, int status) {
        AttemptHeaders headers;
        try {
            headers = attemptHeaders();
            FailOpen.injectFault("read-answer");
        } catch (Throwable t) {
            return retry.answerUnread(t);
        }
        return retry.nextDelayNanos(status, headers, this::peekErrorBody);
    }

    /** The current attempt's response headers, walked by the core once per answer. */
    private AttemptHeaders attemptHeaders() {
        if (headersOf != current) {
            responseHeaders = new AttemptHeaders(current);
            headersOf = current;
        }
        return responseHeaders;
    }

    /** Reads the current attempt's error body for the key check, keeping it for the application. */
    private String peekErrorBody() {
        InputStream err = current.getErrorStream();
        if (err == null) {
            return null;
        }
        PeekedBody peeked = PeekedBody.read(err, KEY_CHECK_BODY_BYTES);
        heldFrom = current;
        heldError = peeked.replay();
        return peeked.text();
    }

    /** The JDK connection of the attempt the application now sees: the first until the request is answered. */
    HttpURLConnection current() {
        return current;
    }

    // ---- the response: answered from the final attempt

    @Override
    public int getResponseCode() throws IOException {
        return answered().getResponseCode();
    }

    @Override
    public String getResponseMessage() throws IOException {
        return answered().getResponseMessage();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return answered().getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        if (stoppedAfterDiscard && discardedBody != null) {
            return new ByteArrayInputStream(discardedBody);
        }
        return heldFrom == current && heldError != null ? heldError : current.getErrorStream();
    }

    @Override
    public String getHeaderField(String name) {
        return quietly().getHeaderField(name);
    }

    @Override
    public String getHeaderField(int n) {
        return quietly().getHeaderField(n);
    }

    @Override
    public String getHeaderFieldKey(int n) {
        return quietly().getHeaderFieldKey(n);
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return quietly().getHeaderFields();
    }

    @Override
    public int getHeaderFieldInt(String name, int defaultValue) {
        return quietly().getHeaderFieldInt(name, defaultValue);
    }

    @Override
    public long getHeaderFieldLong(String name, long defaultValue) {
        return quietly().getHeaderFieldLong(name, defaultValue);
    }

    @Override
    public long getHeaderFieldDate(String name, long defaultValue) {
        return quietly().getHeaderFieldDate(name, defaultValue);
    }

    @Override
    public String getContentType() {
        return quietly().getContentType();
    }

    @Override
    public String getContentEncoding() {
        return quietly().getContentEncoding();
    }

    @Override
    public int getContentLength() {
        return quietly().getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return quietly().getContentLengthLong();
    }

    @Override
    public long getExpiration() {
        return quietly().getExpiration();
    }

    @Override
    public long getDate() {
        return quietly().getDate();
    }

    @Override
    public long getLastModified() {
        return quietly().getLastModified();
    }

    @Override
    public Object getContent() throws IOException {
        return answered().getContent();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object getContent(Class[] classes) throws IOException {
        return answered().getContent(classes);
    }

    /** Header getters never throw: like the JDK's, they answer null or the default when the request failed. */
    private HttpURLConnection quietly() {
        try {
            return answered();
        } catch (IOException e) {
            return current;
        }
    }

    // ---- the request: recorded where the JDK could not tell it again, and passed to the current attempt

    @Override
    public void setRequestProperty(String key, String value) {
        String sent = authorization(key, value);
        current.setRequestProperty(key, sent);
        record.header(false, key, sent);
    }

    @Override
    public void addRequestProperty(String key, String value) {
        String sent = authorization(key, value);
        current.addRequestProperty(key, sent);
        record.header(true, key, sent);
    }

    /** Notes the application's Authorization value, and returns what to send: with key-repair=trim, trimmed. */
    private String authorization(String key, String value) {
        if (!"Authorization".equalsIgnoreCase(key) || value == null) {
            return value;
        }
        authorization = value;
        String sent = RetryPolicy.current().keys().repaired(value);
        if (sent.indexOf('\n') >= 0 || sent.indexOf('\r') >= 0) {
            // The JDK refuses a header value with a line break (IllegalArgumentException): the request will never
            // be sent, so the key check speaks now.
            RetryPolicy.current().keys().beforeSend(value, true, Metrics.forHost(requested.getHost()));
        }
        return sent;
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
        current.setFixedLengthStreamingMode(contentLength);
        record.fixedLength(contentLength);
    }

    @Override
    public void setFixedLengthStreamingMode(long contentLength) {
        current.setFixedLengthStreamingMode(contentLength);
        record.fixedLength(contentLength);
    }

    @Override
    public void setChunkedStreamingMode(int chunkLength) {
        current.setChunkedStreamingMode(chunkLength);
        record.chunked(chunkLength);
    }

    /** Java 9+ only; on Java 8 this is not an override and nothing calls it. */
    public void setAuthenticator(java.net.Authenticator auth) {
        RequestRecord.setAuthenticator(current, auth);
        record.authenticator(auth);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        int limit = RetryPolicy.current().settings().maxReplayBytes();
        if (!answered && (record.holdsBody() || mayHoldBody(limit))) {
            return record.heldBody(limit, this::sendInTurn);
        }
        return record.body(current.getOutputStream(), limit);
    }

    /**
     * Whether to hold a streamed body until it is whole: in mode retry, unless it declared more than the agent keeps,
     * the application waits for the server's "100 Continue" before it writes it, or the JDK is to refuse the stream
     * (doOutput false).
     */
    private boolean mayHoldBody(int limit) {
        return record.streaming() && record.declaredLength() <= limit && !record.bodyOpened() && current.getDoOutput()
                && RetryPolicy.current().settings().mode() == Mode.RETRY
                && !"100-continue".equalsIgnoreCase(record.requestProperty("Expect"));
    }

    /** Opens the JDK's stream for a held body, now whole: the request's headers go in its turn in its model's lane. */
    private OutputStream sendInTurn() throws IOException {
        if (disconnected) {
            // The JDK's words for a body written to a connection closed under it.
            throw new IOException("Error writing request body to server");
        }
        if (streamed == null) {
            CallRetry retry = begin(true);
            if (retry != null) {
                boolean held = takeTurn(retry, true);
                streamed = retry;
                if (held && connectedEarly) {
                    reconnect();
                }
            }
        }
        return current.getOutputStream();
    }

    /**
     * A fresh JDK connection, set up as the application set up the one it connected before the wait: that one may be
     * a kept-alive connection the server closed as it idled, and the JDK never sends a streamed body again.
     */
    private void reconnect() {
        try {
            HttpURLConnection fresh = UrlConnections.open(requested, proxy);
            record.setUp(current, fresh);
            current.disconnect();
            current = fresh;
        } catch (IOException | RuntimeException e) {
            FailOpen.report("connecting anew after the turn of a streamed HttpURLConnection body", e);
        }
    }

    @Override
    public String getRequestProperty(String key) {
        return current.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
        return current.getRequestProperties();
    }

    @Override
    public void setRequestMethod(String method) throws java.net.ProtocolException {
        current.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
        return current.getRequestMethod();
    }

    @Override
    public void connect() throws IOException {
        current.connect();
        connectedEarly = !record.bodyOpened();
    }

    @Override
    public void disconnect() {
        disconnected = true;
        current.disconnect();
    }

    @Override
    public boolean usingProxy() {
        return current.usingProxy();
    }

    @Override
    public Permission getPermission() throws IOException {
        return current.getPermission();
    }

    @Override
    public URL getURL() {
        return current.getURL();
    }

    @Override
    public void setConnectTimeout(int timeout) {
        current.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
        return current.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
        current.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
        return current.getReadTimeout();
    }

    @Override
    public void setInstanceFollowRedirects(boolean followRedirects) {
        current.setInstanceFollowRedirects(followRedirects);
    }

    @Override
    public boolean getInstanceFollowRedirects() {
        return current.getInstanceFollowRedirects();
    }

    @Override
    public void setDoInput(boolean doInput) {
        current.setDoInput(doInput);
    }

    @Override
    public boolean getDoInput() {
        return current.getDoInput();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        current.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
        return current.getDoOutput();
    }

    @Override
    public void setAllowUserInteraction(boolean allow) {
        current.setAllowUserInteraction(allow);
    }

    @Override
    public boolean getAllowUserInteraction() {
        return current.getAllowUserInteraction();
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        current.setUseCaches(useCaches);
    }

    @Override
    public boolean getUseCaches() {
        return current.getUseCaches();
    }

    @Override
    public void setIfModifiedSince(long ifModifiedSince) {
        current.setIfModifiedSince(ifModifiedSince);
    }

    @Override
    public long getIfModifiedSince() {
        return current.getIfModifiedSince();
    }

    @Override
    public void setDefaultUseCaches(boolean defaultUseCaches) {
        current.setDefaultUseCaches(defaultUseCaches);
    }

    @Override
    public boolean getDefaultUseCaches() {
        return current.getDefaultUseCaches();
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
