package io.togetheragent.jetty9.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.SentBytes;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.Settings;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ObjLongConsumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpContentResponse;
import org.eclipse.jetty.client.HttpConversation;
import org.eclipse.jetty.client.HttpRequest;
import org.eclipse.jetty.client.ResponseNotifier;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BytesContentProvider;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.Callback;

/**
 * One Together call of Jetty's, across its attempts, kept in its conversation; the same as Jetty 12's, over the
 * API that Jetty 9.4, 10 and 11 share. Its retries are copies made by the client's own {@code copyRequest}, the
 * one its redirects use: protected, so reached by reflection (which needs no flag for a class on the class path).
 */
final class JettyCall {
    private static final String KEY = JettyCall.class.getName();
    private static final ResponseNotifier NOTIFIER = new ResponseNotifier();

    private final HttpRequest first;
    private final HttpClient client;
    private final CallRetry retry;
    private final Settings settings;
    private final SentBytes sent;
    private final long deadlineNanos;
    private final String authorization;
    /** Set once the current attempt's answer went to the core: a forwarded answer is not decided twice. */
    private volatile boolean decided;
    private volatile ByteArrayOutputStream body = new ByteArrayOutputStream();
    /** The failure of the first attempt's answer, which Jetty also records as the request's abort cause. */
    private volatile Throwable firstFailure;
    /** The last answer taken, and its body: handed on if the next attempt cannot be sent. */
    private volatile Result last;
    private volatile byte[] lastBody;

    private JettyCall(HttpRequest first, HttpClient client, CallRetry retry, Settings settings, long deadlineNanos,
                      String authorization) {
        this.first = first;
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.deadlineNanos = deadlineNanos;
        this.authorization = authorization;
        this.sent = new SentBytes(settings.maxReplayBytes());
    }

    /** The call a request is an attempt of, or null. */
    static JettyCall of(Request request) {
        return request instanceof HttpRequest
                ? (JettyCall) ((HttpRequest) request).getConversation().getAttribute(KEY) : null;
    }

    /** Takes the call in hand, or returns null when the agent leaves it alone. */
    static JettyCall begin(HttpRequest request, int port, HttpClient client) {
        long timeout = request.getTimeout();
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : Long.MAX_VALUE;
        String authorization = Fields.get(request.getHeaders(), "Authorization");
        RetryPolicy policy = RetryPolicy.current();
        String path = request.getPath() == null || request.getPath().isEmpty() ? "/" : request.getPath();
        CallRetry retry = policy.begin(request.getMethod(), request.getHost(), port, path, null, deadline,
                authorization, true);
        if (retry == null) {
            return null;
        }
        JettyCall call = new JettyCall(request, client, retry, policy.settings(), deadline, authorization);
        call.watch(request);
        request.getConversation().setAttribute(KEY, call);
        return call;
    }

    private void watch(HttpRequest request) {
        String repaired = retry.authorizationToSend();
        if (repaired != null && !repaired.equals(authorization)) {
            request.header("Authorization", null);
            request.header("Authorization", repaired);
        }
        // The body is known only as it is sent: a layer above resending the call is recognised by its headers.
        retry.identify(name -> Fields.get(request.getHeaders(), name), () -> null);
        request.onRequestContent((r, part) -> sent.sent(part));
        request.onRequestSuccess(r -> sent.ended());
        // The answers the handler does not take (a 200, a 400) reach the application's listeners, and these.
        request.onResponseHeaders(this::answered);
        request.onComplete(result -> {
            if (result.isFailed() && !decided) {
                decided = true;
                retry.attemptFailed();
            }
        });
    }

    /** @return true when the first attempt goes now; else it is sent at its turn */
    boolean firstTurn(Response.CompleteListener listener) {
        return retry.sendNowOr(() -> {
            try {
                first.send(listener);
            } catch (Throwable t) {
                // Jetty reports its own failures to the listeners; this would be one of the agent's.
                FailOpen.report("the Jetty retry", t);
                retry.attemptFailed();
            }
        });
    }

    /** Whether the handler takes an answer with this status: one the agent may retry, or whose body it reads. */
    boolean takes(int status) {
        return retry.resends() && (settings.isRetryStatus(status) || retry.wantsBody(status));
    }

    private void answered(Response response) {
        if (!decided) {
            decided = true;
            retry.nextDelayNanos(response.getStatus(), name -> Fields.get(response.getHeaders(), name));
        }
    }

    void bodyPart(ByteBuffer part) {
        ByteBuffer bytes = part.duplicate();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        body.write(array, 0, array.length);
    }

    /**
     * A taken answer is over: retry, or hand it on as it came. One whose body broke off is retried as any other
     * (its status and headers came whole); one whose request failed is not. On a Jetty thread.
     */
    void taken(Result result) {
        byte[] bytes = body.toByteArray();
        long delay = -1;
        decided = true;
        if (result.getRequest() == first) {
            firstFailure = result.getFailure();
        }
        if (result.getRequestFailure() != null) {
            retry.attemptFailed();
        } else {
            try {
                String why = sent.whyNotReplayable();
                if (why != null) {
                    retry.cannotReplay(why);
                }
                Response response = result.getResponse();
                delay = retry.nextDelayNanos(response.getStatus(), name -> Fields.get(response.getHeaders(), name),
                        () -> new String(bytes, StandardCharsets.UTF_8));
            } catch (Throwable t) {
                FailOpen.report("the Jetty retry", t);
            }
        }
        if (delay >= 0) {
            last = result;
            lastBody = bytes;
            Scheduler.waitThen(delay, this::aborted, this::again);
            return;
        }
        handOn(result, bytes);
    }

    /**
     * The answer goes to the application's listeners as if no handler had taken it. A body that broke off ends in
     * the very failure, told only once the listeners took the bytes: one that hears of it first drops what it has
     * not yet handed on ({@code InputStreamResponseListener} does).
     */
    private void handOn(Result result, byte[] bytes) {
        HttpConversation conversation = first.getConversation();
        conversation.updateResponseListeners(null);
        List<Response.ResponseListener> listeners = conversation.getResponseListeners();
        Response kept = new HttpContentResponse(result.getResponse(), bytes, null, null);
        if (!result.isFailed()) {
            NOTIFIER.forwardSuccessComplete(listeners, result.getRequest(), kept);
            return;
        }
        Throwable failure = result.getResponseFailure() != null ? result.getResponseFailure() : result.getFailure();
        Runnable end = () -> {
            NOTIFIER.notifyFailure(listeners, kept, failure);
            NOTIFIER.notifyComplete(listeners, new Result(result.getRequest(), result.getRequestFailure(), kept,
                    failure));
        };
        NOTIFIER.notifyBegin(listeners, kept);
        for (HttpField field : Fields.of(kept.getHeaders())) {
            NOTIFIER.notifyHeader(listeners, kept, field);
        }
        NOTIFIER.notifyHeaders(listeners, kept);
        List<Response.DemandedContentListener> readers = new ArrayList<>();
        for (Response.ResponseListener listener : listeners) {
            if (listener instanceof Response.DemandedContentListener) {
                readers.add((Response.DemandedContentListener) listener);
            }
        }
        ObjLongConsumer<Object> demand = (listener, n) -> { };
        NOTIFIER.notifyBeforeContent(kept, demand, readers);
        NOTIFIER.notifyContent(kept, demand, ByteBuffer.wrap(bytes), new Callback() {
            @Override
            public void succeeded() {
                end.run();
            }

            @Override
            public void failed(Throwable x) {
                end.run();
            }
        }, readers);
    }

    /** Whether the application aborted its request. */
    private boolean aborted() {
        Throwable cause = first.getAbortCause();
        return cause != null && cause != firstFailure;
    }

    private void again() {
        try {
            if (aborted() || retry.sendNowOr(this::sendCopyOrHandOn)) {
                sendCopyOrHandOn();
            }
        } catch (Throwable t) {
            FailOpen.report("the Jetty retry", t);
            handOn(last, lastBody);
        }
    }

    /** If the agent fails to send the next attempt, the application gets the last answer, as without it. */
    private void sendCopyOrHandOn() {
        try {
            FailOpen.injectFault("resend");
            sendCopy();
        } catch (Throwable t) {
            FailOpen.report("the Jetty retry", t);
            retry.attemptFailed();
            handOn(last, lastBody);
        }
    }

    /**
     * The next attempt: a copy of the request in the same conversation, so that its answer reaches the
     * application's listeners; an abort of the application's request stops it as it begins, as with Jetty's
     * redirects.
     */
    private void sendCopy() {
        Method copyRequest;
        try {
            copyRequest = HttpClient.class.getDeclaredMethod("copyRequest", HttpRequest.class, URI.class);
            copyRequest.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Jetty's HttpClient.copyRequest cannot be reached", e);
        }
        Request copy;
        try {
            copy = (Request) copyRequest.invoke(client, first, first.getURI());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Jetty's HttpClient.copyRequest failed", e);
        }
        String repaired = retry.authorizationToSend();
        String proxyAuthorization = Fields.get(first.getHeaders(), "Proxy-Authorization");
        if (repaired != null) {
            copy.header("Authorization", repaired);
        }
        if (proxyAuthorization != null) {
            copy.header("Proxy-Authorization", proxyAuthorization);
        }
        byte[] bytes = sent.bytes(contentLength(Fields.get(first.getHeaders(), "Content-Length")));
        String contentType = Fields.get(first.getHeaders(), "Content-Type");
        copy.content(bytes.length == 0 ? null : new BytesContentProvider(contentType, bytes));
        if (deadlineNanos != Long.MAX_VALUE) {
            copy.timeout(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        copy.onRequestBegin(r -> {
            if (aborted()) {
                r.abort(first.getAbortCause());
            } else if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() >= deadlineNanos) {
                r.abort(new TimeoutException("Total timeout " + first.getTimeout() + " ms elapsed"));
            }
        });
        body = new ByteArrayOutputStream();
        decided = false;
        copy.send(result -> { });
    }

    /** The declared length, or -1 when none or not a number. */
    private static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException malformed) {
            return -1;
        }
    }
}
