package io.togetheragent.vertx.helper;

import io.netty.buffer.ByteBuf;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.LogOnce;
import io.togetheragent.core.SentBytes;
import io.togetheragent.core.WeakIdentityMap;
import io.togetheragent.core.keys.KeyCheck;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Together call of Vert.x's, across its attempts. The first attempt is the application's request; each later
 * one a copy, made through the client's public API from the options the call was created with, with the headers
 * and the body the first one was written with. Its final answer completes the application's own response future,
 * as Vert.x's redirects do. All of it runs on the request's context; only a turn the agent held back comes from
 * the agent's scheduler, and is handed back to that context.
 */
final class VertxCall {
    private static final Logger log = LoggerFactory.getLogger(VertxCall.class);
    /**
     * Each attempt's request, to its call, until the call ends ({@link #ended}). Weak keys only for a request
     * abandoned before its end: a call can hold its first request (through the response future it keeps), and a
     * value that holds its key keeps its entry for good.
     */
    private static final WeakIdentityMap<HttpClientRequest, VertxCall> ATTEMPTS = new WeakIdentityMap<>();
    /** The requests whose answer the agent took: what fails in them afterwards is not the application's. */
    private static final WeakIdentityMap<HttpClientRequest, Boolean> TAKEN = new WeakIdentityMap<>();
    /** Set while the agent creates an attempt: the request advice lets it through, for this call. */
    private static final ThreadLocal<VertxCall> CREATING = new ThreadLocal<>();

    private final HttpClient client;
    /** The options the application created the request with, as they were then. */
    private final RequestOptions options;
    private final CallRetry retry;
    private final SentBytes sent;
    /** What {@link #first} and {@link #current} are before the first request is created: one for every call. */
    private static final WeakReference<HttpClientRequest> NONE_YET = new WeakReference<>(null);
    // Weak: these requests are the keys of ATTEMPTS, whose values (calls) must not hold them.
    private volatile WeakReference<HttpClientRequest> first = NONE_YET;
    /** The attempt in flight, or the last one. */
    private volatile WeakReference<HttpClientRequest> current = NONE_YET;
    /** The first request as it was sent, kept when its answer is taken: the copies are made of it. */
    private volatile HttpMethod sentMethod;
    private volatile String sentUri;
    private volatile MultiMap sentHeaders;
    /** Whether the current attempt's answer went to the core: a failure after it gives no place back. */
    private volatile boolean decided;
    /** The application's response future, held from the first answer the agent takes. */
    private volatile Promise<HttpClientResponse> answer;
    /** Why the application reset its request, or null. */
    private volatile Throwable cancelled;
    /** Set once the agent sends its first copy: every request created for the call from then on is a copy. */
    private volatile boolean copying;
    /** The last client class's {@code options()}: one Vert.x per loader, so one class. */
    private static volatile Method optionsMethod;
    private boolean headWritten;

    private VertxCall(HttpClient client, RequestOptions options, CallRetry retry, int maxReplayBytes) {
        this.client = client;
        this.options = options;
        this.retry = retry;
        this.sent = new SentBytes(maxReplayBytes);
    }

    static boolean steers(HttpClient client, RequestOptions options) {
        return CREATING.get() == null && RetryPolicy.current().steers(host(client, options), port(client, options));
    }

    /**
     * A request is being created. For an attempt of the agent's, its call; for the application's request of a
     * Together call, the new call, or a future of the agent's that completes at the call's turn; else null.
     */
    static Object request(HttpClient client, RequestOptions options) {
        VertxCall own = CREATING.get();
        if (own != null) {
            return own;
        }
        String host = host(client, options);
        int port = port(client, options);
        RetryPolicy policy = RetryPolicy.current();
        if (!policy.steers(host, port)) {
            return null;
        }
        long timeout = options.getIdleTimeout() > 0 ? options.getIdleTimeout() : options.getTimeout();
        // Vert.x times a request out after this long without an answer: the agent's waits stay within it.
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : Long.MAX_VALUE;
        String authorization = options.getHeaders() == null ? null : options.getHeaders().get("Authorization");
        String uri = options.getURI() == null || options.getURI().isEmpty() ? "/" : options.getURI();
        int query = uri.indexOf('?');
        CallRetry retry = policy.begin(String.valueOf(options.getMethod()), host, port,
                query < 0 ? uri : uri.substring(0, query), null, deadline,
                authorization != null ? authorization : KeyCheck.NOT_SEEN, true);
        if (retry == null) {
            return null;
        }
        VertxCall call = new VertxCall(client, new RequestOptions(options), retry,
                policy.settings().maxReplayBytes());
        retry.identify(call::requestHeader, () -> call.sent.whyNotReplayable() == null ? call.sent.bytes(-1) : null);
        Context context = Vertx.currentContext();
        Promise<HttpClientRequest> later = Promise.promise();
        return retry.sendNowOr(() -> onContext(context, () -> call.createAtTurn(later))) ? call : later.future();
    }

    /** The request method has returned the future of an attempt's request, or thrown (then null). */
    static void requested(VertxCall call, Future<HttpClientRequest> future) {
        if (future == null) {
            if (!call.copying) {
                call.retry.attemptFailed();
            }
            return;
        }
        // Before the application's own listeners: the request is known to the agent before it is written.
        future.onComplete(call::created);
    }

    /** A request is written to: the first attempt's head and body are kept. */
    static void written(HttpClientRequest request, ByteBuf buffer, boolean end) {
        VertxCall call = ATTEMPTS.get(request);
        if (call != null && request == call.first.get()) {
            call.write(request, buffer, end);
        }
    }

    /** @return true when the agent takes this answer and sends the call again; the application does not see it */
    static boolean answered(HttpClientRequest request, Promise<HttpClientResponse> promise,
                            HttpClientResponse response) {
        VertxCall call = ATTEMPTS.get(request);
        return call != null && request == call.current.get() && call.answer(request, promise, response);
    }

    /** Whether the agent took this request's answer: a failure of the request then ends nothing. */
    static boolean takenOver(HttpClientRequest request) {
        return TAKEN.containsKey(request);
    }

    /** A request is reset: by the application (the call ends), or by Vert.x (its timeout; it fails on its own). */
    static void reset(HttpClientRequest request, Throwable cause) {
        VertxCall call = ATTEMPTS.get(request);
        if (call != null && request == call.first.get() && call.answer != null) {
            call.cancel(cause);
        }
    }

    private String requestHeader(String name) {
        HttpClientRequest request = first.get();
        MultiMap headers = sentHeaders != null ? sentHeaders
                : request != null ? request.headers() : options.getHeaders();
        return headers == null ? null : headers.get(name);
    }

    private void createAtTurn(Promise<HttpClientRequest> later) {
        try {
            create(options).onComplete(created -> {
                if (created.succeeded()) {
                    later.tryComplete(created.result());
                } else {
                    later.tryFail(created.cause());
                }
            });
        } catch (Throwable t) {
            // The client's own failure (closed), which the application would have met calling it.
            retry.attemptFailed();
            later.tryFail(t);
        }
    }

    private Future<HttpClientRequest> create(RequestOptions attempt) {
        CREATING.set(this);
        try {
            return client.request(attempt);
        } finally {
            CREATING.remove();
        }
    }

    private void created(AsyncResult<HttpClientRequest> created) {
        if (created.failed()) {
            // A copy's failure ends the call where the copy is sent; the first's reaches the application.
            if (!copying) {
                retry.attemptFailed();
            }
            return;
        }
        HttpClientRequest request = created.result();
        HttpClientRequest previous = current.get();
        if (previous != null && previous != first.get()) {
            ATTEMPTS.remove(previous);
        }
        ATTEMPTS.put(request, this);
        decided = false;
        current = new WeakReference<>(request);
        if (!copying) {
            first = current;
            request.response().onComplete(response -> {
                if (response.failed() && current.get() == request && !decided) {
                    retry.attemptFailed();
                    ended();
                }
            });
        }
    }

    private void write(HttpClientRequest request, ByteBuf buffer, boolean end) {
        if (!headWritten) {
            headWritten = true;
            // Headers set after the request was created (putHeader) are known now, before the head goes out.
            String authorization = request.headers().get("Authorization");
            retry.sentWith(authorization != null ? authorization : KeyCheck.NOT_SEEN, true);
            String repaired = retry.repairedAuthorization();
            // Only in place of a header the request carries: one the application removed since is not put back.
            if (authorization != null && repaired != null) {
                request.headers().set("Authorization", repaired);
            }
        }
        if (buffer != null) {
            sent.sent(buffer.nioBuffer());
        }
        if (end) {
            sent.ended();
        }
    }

    private boolean answer(HttpClientRequest request, Promise<HttpClientResponse> promise,
                           HttpClientResponse response) {
        decided = true;
        int status = response.statusCode();
        // Asked by name: walking them (forEach) makes an entry of each header, as Vert.x keeps an answer's headers
        // in Netty's form behind its own, where a name's lookup is hashed and allocates nothing.
        HeaderLookup headers = name -> response.headers().get(name);
        if (RetryPolicy.current().settings().isRetryStatus(status)) {
            String why = sent.whyNotReplayable();
            if (why != null) {
                retry.cannotReplay(why);
            }
        }
        long delay = retry.nextDelayNanos(status, headers);
        if (delay < 0) {
            // The application gets it: the first through its own future, a copy through the copy's (see sendCopy).
            ended();
            return false;
        }
        Context context = Vertx.currentContext();
        if (context == null) {
            if (LogOnce.first("vertx answer off its context")) {
                log.warn("a Vert.x answer of {} came off a Vert.x context: handed on unretried (said once)",
                        request.getURI());
            }
            ended();
            return false;
        }
        if (request == first.get() && answer == null) {
            answer = promise;
            sentMethod = request.getMethod();
            sentUri = request.getURI();
            sentHeaders = MultiMap.caseInsensitiveMultiMap().setAll(request.headers());
        }
        // Read away, so that its connection goes back to the pool; a failure in it ends nothing of the call's.
        TAKEN.put(request, Boolean.TRUE);
        response.exceptionHandler(t -> { });
        response.handler(part -> { });
        response.endHandler(end -> { });
        // A timer of the request's context: the next attempt goes out on it, as the application's own would.
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay + 999_999)), id -> again(context));
        return true;
    }

    private void again(Context context) {
        try {
            if (cancelled != null || retry.sendNowOr(() -> onContext(context, this::sendCopy))) {
                sendCopy();
            }
        } catch (Throwable t) {
            failWith(FailOpen.retryNotSent(t));
        }
    }

    /** The next attempt: a copy of the first request, the same headers and body, whose answer is the call's. */
    private void sendCopy() {
        if (cancelled != null) {
            failWith(cancelled);
            return;
        }
        try {
            FailOpen.injectFault("resend");
            copying = true;
            byte[] body = sent.bytesAsDeclared(sentHeaders.get("Content-Length"));
            create(copyOptions()).onComplete(created -> {
                if (created.failed()) {
                    failWith(created.cause());
                    return;
                }
                try {
                    send(created.result(), body);
                } catch (Throwable t) {
                    failWith(FailOpen.retryNotSent(t));
                }
            });
        } catch (Throwable t) {
            failWith(FailOpen.retryNotSent(t));
        }
    }

    private void send(HttpClientRequest copy, byte[] body) {
        // Its failures reach the application through the response future, as a redirect's do.
        copy.exceptionHandler(t -> { });
        copy.response().onComplete(response -> delivered(copy, response));
        if (body.length > 0) {
            copy.end(Buffer.buffer(body));
        } else {
            copy.end();
        }
    }

    private RequestOptions copyOptions() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().setAll(sentHeaders);
        // Vert.x adds a proxy's credentials to each request it creates.
        if (options.getHeaders() == null || options.getHeaders().get("Proxy-Authorization") == null) {
            headers.remove("Proxy-Authorization");
        }
        return new RequestOptions(options).setHeaders(headers).setMethod(sentMethod).setURI(sentUri);
    }

    /** A copy's answer that the agent did not take, or its failure: the application's. */
    private void delivered(HttpClientRequest copy, AsyncResult<HttpClientResponse> response) {
        if (copy != current.get()) {
            return;
        }
        if (response.succeeded()) {
            answer.tryComplete(response.result());
        } else {
            if (!decided) {
                retry.attemptFailed();
            }
            endWith(response.cause());
        }
    }

    /**
     * The application reset its request after the agent took its answer: the call ends now with the reset, and
     * a copy in flight is reset too.
     */
    private void cancel(Throwable cause) {
        cancelled = cause;
        endWith(cause);
        HttpClientRequest copy = current.get();
        if (copy != null && copy != first.get()) {
            long code = cause instanceof StreamResetException ? ((StreamResetException) cause).getCode() : 0;
            onContext(Vertx.currentContext(), () -> resetCopy(copy, code, cause.getCause()));
        }
    }

    /** The call ends with a failure of an attempt the agent sent, or of its sending. */
    private void failWith(Throwable failure) {
        retry.attemptFailed();
        endWith(failure);
    }

    private void endWith(Throwable failure) {
        ended();
        answer.tryFail(failure);
    }

    /** The call is over: its requests leave the map, and nothing of the call outlives them. */
    private void ended() {
        HttpClientRequest request = first.get();
        if (request != null) {
            ATTEMPTS.remove(request);
        }
        request = current.get();
        if (request != null) {
            ATTEMPTS.remove(request);
        }
    }

    private static void resetCopy(HttpClientRequest copy, long code, Throwable cause) {
        try {
            // Its return type differs between Vert.x 4 (boolean) and 5 (a future).
            Method reset = HttpClientRequest.class.getMethod("reset", long.class, Throwable.class);
            reset.invoke(copy, code, cause);
        } catch (Throwable t) {
            FailOpen.report("resetting a Vert.x retry", t);
        }
    }

    private static void onContext(Context context, Runnable task) {
        if (context == null) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    private static String host(HttpClient client, RequestOptions options) {
        return options.getHost() != null ? options.getHost() : clientOptions(client).getDefaultHost();
    }

    private static int port(HttpClient client, RequestOptions options) {
        return options.getPort() != null ? options.getPort() : clientOptions(client).getDefaultPort();
    }

    /** The client's options, for a request that names no host or port: {@code options()} is not public API. */
    private static HttpClientOptions clientOptions(HttpClient client) {
        try {
            Method options = optionsMethod;
            if (options == null || !options.getDeclaringClass().isInstance(client)) {
                options = client.getClass().getMethod("options");
                optionsMethod = options;
            }
            return (HttpClientOptions) options.invoke(client);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no options() on " + client.getClass().getName(), e);
        }
    }
}
