package io.togetheragent.jetty12.helper;

import io.togetheragent.core.Durations;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderList;
import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.ResendingCall;
import io.togetheragent.core.retry.RetryPolicy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.internal.HttpContentResponse;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.client.transport.ResponseListeners;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.content.ByteBufferContentSource;

/**
 * One Together call of Jetty 12's, across its attempts, kept in its conversation. The first attempt is the
 * application's request; each later one a copy in the same conversation (as Jetty's redirects are), with the
 * body as the first one sent it.
 */
final class JettyCall extends ResendingCall<Result> {
    private static final String KEY = JettyCall.class.getName();

    private final HttpRequest first;
    private final int maxReplayBytes;
    /** The first request's body as read before its turn, or null. */
    private volatile ReadAhead readAhead;
    /** The first request's body, where it is in memory, or null. */
    private volatile ByteBufferContentSource inMemory;

    private JettyCall(HttpRequest first, RetryPolicy policy, CallRetry retry, long deadlineNanos) {
        super("the Jetty retry", policy, retry, deadlineNanos);
        this.first = first;
        this.maxReplayBytes = policy.settings().maxReplayBytes();
    }

    /** The call a request is an attempt of, or null. */
    static JettyCall of(Request request) {
        return request instanceof HttpRequest
                ? (JettyCall) ((HttpRequest) request).getConversation().getAttribute(KEY) : null;
    }

    /** Takes the call in hand, or returns null when the agent leaves it alone. */
    static JettyCall begin(HttpRequest request, int port) {
        long timeout = request.getTimeout();
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : Long.MAX_VALUE;
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        RetryPolicy policy = RetryPolicy.current();
        String path = request.getPath() == null || request.getPath().isEmpty() ? "/" : request.getPath();
        CallRetry retry = policy.begin(request.getMethod(), request.getHost(), port, path, null, deadline,
                authorization, true);
        if (retry == null) {
            return null;
        }
        JettyCall call = new JettyCall(request, policy, retry, deadline);
        call.watch(request);
        request.getConversation().setAttribute(KEY, call);
        return call;
    }

    private void watch(HttpRequest request) {
        String repaired = retry.repairedAuthorization();
        if (repaired != null) {
            request.headers(h -> h.put(HttpHeader.AUTHORIZATION, repaired));
        }
        // Known in memory or read ahead: else a layer above resending the call is recognised by its headers.
        retry.identify(name -> request.getHeaders().get(name), this::bodyBytes);
        Request.Content body = request.getBody();
        if (body instanceof ByteBufferContentSource) {
            // In memory (StringRequestContent, BytesRequestContent), read through slices that leave its buffers
            // as they are: each copy is sent them again, and nothing is copied as the first goes out.
            inMemory = (ByteBufferContentSource) body;
            replaysHeldBody(this::bodyBytes);
        } else {
            request.onRequestContent((r, part) -> sent.sent(part));
            request.onRequestSuccess(r -> sent.ended());
        }
        // The answers the handler does not take (a 200, a 400) reach the application's listeners, and these.
        request.onResponseHeaders(r -> answered(r.getStatus(), headers(r.getHeaders())));
        request.onComplete(result -> ended(result.isFailed()));
    }

    /**
     * The first attempt's turn, once its body was read ahead where it is written only after the send (its model
     * chooses the lane).
     *
     * @return true when the first attempt goes now; else it is sent at its turn
     */
    boolean firstTurn(Response.CompleteListener listener) {
        Request.Content body = first.getBody();
        // One in memory (see watch) goes as it is: its bytes are copied for the model when asked.
        if (inMemory == null && readsAhead(body)) {
            // In the request before any of the body is read: should the agent fail from here on, Jetty still
            // reads every byte, those read ahead first.
            ReadAhead ahead = new ReadAhead(body, maxReplayBytes);
            first.body(ahead);
            readAhead = ahead;
            if (!ahead.readNow() && !ahead.readOnThen(deadlineNanos, () -> turnOnceRead(listener))) {
                return false;
            }
        }
        return retry.sendNowOr(this::aborted, () -> sendFirst(listener));
    }

    /** The first request's body, in memory or read ahead to its end, for its model; else null. */
    private byte[] bodyBytes() {
        ByteBufferContentSource memory = inMemory;
        if (memory == null) {
            ReadAhead ahead = readAhead;
            return ahead == null ? null : ahead.bytes();
        }
        return RequestBodies.joined(memory.getByteBuffers(), memory.getLength());
    }

    /**
     * Not a body that reads an {@code InputStream}: read ahead, the stream would be read on the thread that sends,
     * which may be the one meant to fill it afterwards (a pipe). Not in observe mode, nor with Expect: 100-continue.
     */
    private boolean readsAhead(Request.Content body) {
        if (body == null || !retry.resends() || body.getLength() > maxReplayBytes
                || first.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
            return false;
        }
        for (Class<?> c = body.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().contains("InputStream")) {
                return false;
            }
        }
        return true;
    }

    /** Reading ahead stopped after the send returned: on the thread that stopped it. */
    private void turnOnceRead(Response.CompleteListener listener) {
        try {
            if (retry.sendNowOr(this::aborted, () -> sendFirst(listener))) {
                sendFirst(listener);
            }
        } catch (Throwable t) {
            FailOpen.report("the Jetty retry", t);
            sendFirst(listener);
        }
    }

    /**
     * The first attempt, sent after the application's {@code send} returned: Jetty counts its {@code timeout()} from
     * here, so it is given what is left of it, as a retry is.
     */
    private void sendFirst(Response.CompleteListener listener) {
        try {
            if (deadlineNanos != Long.MAX_VALUE) {
                first.timeout(Durations.millisLeft(deadlineNanos), TimeUnit.MILLISECONDS);
            }
            first.send(listener);
        } catch (Throwable t) {
            firstNotSent(t);
        }
    }

    /** A taken answer is over. On a Jetty thread. */
    void taken(Result result) {
        Response response = result.getResponse();
        taken(result, result.getRequest() == first, result.getRequestFailure(), result.getResponseFailure(),
                response.getStatus(), headers(response.getHeaders()));
    }

    /**
     * An answer's headers by index, walked once: the core reads ten names of each, and each get walks them all.
     * Jetty's own fields (mutable or not) are an array, read by index as they are.
     */
    private static HeaderList headers(HttpFields fields) {
        return new HeaderList() {
            @Override
            public int count() {
                return fields.size();
            }

            @Override
            public String name(int index) {
                return fields.getField(index).getName();
            }

            @Override
            public String value(int index) {
                return fields.getField(index).getValue();
            }
        };
    }

    @Override
    protected Throwable abortCause() {
        return first.getAbortCause();
    }

    @Override
    protected String contentLengthHeader() {
        return first.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    }

    @Override
    protected void handOn(Result result, byte[] bytes) {
        HttpConversation conversation = first.getConversation();
        conversation.updateResponseListeners(null);
        ResponseListeners listeners = conversation.getResponseListeners();
        Response kept = new HttpContentResponse(result.getResponse(), bytes, null, null);
        if (result.isFailed()) {
            KeptBody.handOnBrokenOff(listeners, result, kept, bytes);
        } else {
            listeners.emitSuccessComplete(new Result(result.getRequest(), kept));
        }
    }

    /**
     * A copy of the request in the same conversation, so that its answer reaches the application's listeners;
     * an abort of the application's request stops it as it begins, as with Jetty's redirects.
     */
    @Override
    protected void sendCopy(byte[] bytes) {
        HttpRequest copy = first.copy(first.getURI());
        String authorization = retry.authorizationToSend();
        String proxyAuthorization = first.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
        copy.headers(h -> {
            if (authorization != null) {
                h.put(HttpHeader.AUTHORIZATION, authorization);
            }
            if (proxyAuthorization != null) {
                h.put(HttpHeader.PROXY_AUTHORIZATION, proxyAuthorization);
            }
        });
        String contentType = first.getHeaders().get(HttpHeader.CONTENT_TYPE);
        copy.body(bytes.length == 0 ? null : new BytesRequestContent(contentType, bytes));
        if (deadlineNanos != Long.MAX_VALUE) {
            copy.timeout(Durations.millisLeft(deadlineNanos), TimeUnit.MILLISECONDS);
        }
        copy.onRequestBegin(r -> {
            if (aborted()) {
                r.abort(first.getAbortCause());
            } else if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() >= deadlineNanos) {
                r.abort(new TimeoutException("Total timeout " + first.getTimeout() + " ms elapsed"));
            }
        });
        copy.send(result -> { });
    }
}
