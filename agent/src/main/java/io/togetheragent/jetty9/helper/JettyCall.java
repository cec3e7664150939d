package io.togetheragent.jetty9.helper;

import io.togetheragent.core.Durations;
import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.ResendingCall;
import io.togetheragent.core.retry.RetryPolicy;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.ByteBuffer;
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
import org.eclipse.jetty.client.api.ContentProvider;
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
final class JettyCall extends ResendingCall<Result> {
    private static final String KEY = JettyCall.class.getName();
    private static final ResponseNotifier NOTIFIER = new ResponseNotifier();

    private final HttpRequest first;
    private final HttpClient client;

    private JettyCall(HttpRequest first, HttpClient client, RetryPolicy policy, CallRetry retry, long deadlineNanos) {
        super("the Jetty retry", policy, retry, deadlineNanos);
        this.first = first;
        this.client = client;
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
        JettyCall call = new JettyCall(request, client, policy, retry, deadline);
        call.watch(request);
        request.getConversation().setAttribute(KEY, call);
        return call;
    }

    private void watch(HttpRequest request) {
        String repaired = retry.repairedAuthorization();
        if (repaired != null) {
            request.header("Authorization", null);
            request.header("Authorization", repaired);
        }
        // Known where it is in memory: else a layer above resending the call is recognised by its headers.
        retry.identify(name -> Fields.get(request.getHeaders(), name), this::bodyBytes);
        if (inMemory() != null) {
            // Each copy is sent its arrays again: nothing is copied as the first goes out.
            replaysHeldBody(this::bodyBytes);
        } else {
            request.onRequestContent((r, part) -> sent.sent(part));
            request.onRequestSuccess(r -> sent.ended());
        }
        // The answers the handler does not take (a 200, a 400) reach the application's listeners, and these.
        request.onResponseHeaders(r -> answered(r.getStatus(), Fields.pairs(r.getHeaders())));
        request.onComplete(result -> ended(result.isFailed()));
    }

    /**
     * The first request's body where it is in memory ({@code StringContentProvider}, {@code BytesContentProvider},
     * whose every iteration is a fresh one over the same arrays), for its model; else null: a body of Jetty 10 and
     * 11's own {@code body(Request.Content)} is known only as it is sent.
     */
    private byte[] bodyBytes() {
        ContentProvider content = inMemory();
        return content == null ? null : RequestBodies.joined(content, content.getLength());
    }

    private ContentProvider inMemory() {
        ContentProvider content;
        try {
            content = first.getContent();
        } catch (LinkageError notInThisJetty) {
            return null;
        }
        return content instanceof BytesContentProvider ? content : null;
    }

    /** @return true when the first attempt goes now; else it is sent at its turn */
    boolean firstTurn(Response.CompleteListener listener) {
        return retry.sendNowOr(this::aborted, () -> {
            try {
                // Jetty counts the timeout from this send: what is left of it, as for a retry.
                if (deadlineNanos != Long.MAX_VALUE) {
                    first.timeout(Durations.millisLeft(deadlineNanos), TimeUnit.MILLISECONDS);
                }
                first.send(listener);
            } catch (Throwable t) {
                firstNotSent(t);
            }
        });
    }

    /** A taken answer is over. On a Jetty thread. */
    void taken(Result result) {
        Response response = result.getResponse();
        taken(result, result.getRequest() == first, result.getRequestFailure(), result.getResponseFailure(),
                response.getStatus(), Fields.pairs(response.getHeaders()));
    }

    @Override
    protected Throwable abortCause() {
        return first.getAbortCause();
    }

    @Override
    protected String contentLengthHeader() {
        return Fields.get(first.getHeaders(), "Content-Length");
    }

    /**
     * The answer goes to the application's listeners as if no handler had taken it. A body that broke off ends in
     * the very failure, told only once the listeners took the bytes: one that hears of it first drops what it has
     * not yet handed on ({@code InputStreamResponseListener} does).
     */
    @Override
    protected void handOn(Result result, byte[] bytes) {
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

    /**
     * A copy of the request in the same conversation, so that its answer reaches the application's listeners;
     * an abort of the application's request stops it as it begins, as with Jetty's redirects.
     */
    @Override
    protected void sendCopy(byte[] bytes) {
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
        String contentType = Fields.get(first.getHeaders(), "Content-Type");
        copy.content(bytes.length == 0 ? null : new BytesContentProvider(contentType, bytes));
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
