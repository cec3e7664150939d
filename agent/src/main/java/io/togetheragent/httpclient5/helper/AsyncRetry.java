package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.instrumentation.CallHook;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleBody;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Runs a Together call through an async HttpClient 5 client ({@code CloseableHttpAsyncClient}, including
 * {@code SimpleHttpRequest} calls) behind one future; see {@link AsyncCall}. Defined under HttpClient's loader.
 */
public final class AsyncRetry implements CallHook {
    /** Set just before the agent sends an attempt; the advice lets that one call through and clears it. */
    private static final ThreadFlag OWN_ATTEMPT = new ThreadFlag();
    private static final byte[] NO_BODY = {};

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object call(Object client, Object... args) {
        if (OWN_ATTEMPT.isRaised()) {
            OWN_ATTEMPT.lower();
            return null;
        }
        AsyncRequestProducer producer = (AsyncRequestProducer) args[1];
        Head head;
        boolean readsBody;
        CallRetry retry;
        try {
            head = head(producer);
            // Only the producer's class here: what a read needs is asked of Together's calls alone, below.
            readsBody = ReactiveBody.isReactive(head.body);
            retry = Requests.begin((HttpHost) args[0], head.request, readsBody ? null : whyNotReplayable(producer),
                    "the HttpClient 5 async retry");
            if (retry != null && readsBody && !ReactiveBody.reads(head.body)) {
                readsBody = false;
                retry.cannotReplay(whyNotReplayable(producer));
            }
        } catch (Throwable t) {
            FailOpen.report("the HttpClient 5 async retry", t);
            return null;
        }
        if (retry == null) {
            return null;
        }
        // Not in observe mode, which changes nothing and says what retry would do: retry would read it ahead.
        if (readsBody && retry.resends()) {
            // From here on the application's producer has been produced: only the one returned may be sent.
            producer = ReactiveBody.readAhead(head.request, (AsyncEntityProducer) head.body, retry);
        }
        if (head.request instanceof SimpleHttpRequest) {
            SimpleHttpRequest simple = (SimpleHttpRequest) head.request;
            retry.identify(name -> Requests.header(simple, name), () -> body(simple));
        } else if (!readsBody && head.request != null) {
            // Copied now, on the calling thread: later the client may be producing it for an attempt.
            byte[] inMemory = InMemoryBody.bytes(head.body);
            if (inMemory != null) {
                HttpRequest request = head.request;
                retry.identify(name -> Requests.header(request, name), () -> inMemory);
            }
        }
        Requests.repairKey(head.request, retry);
        return new AsyncCall((CloseableHttpAsyncClient) client, (HttpHost) args[0], head.request, producer,
                (AsyncResponseConsumer) args[2], (HandlerFactory<AsyncPushConsumer>) args[3],
                Requests.shared((HttpContext) args[4], retry), (FutureCallback) args[5], retry).start();
    }

    static <T> Future<T> sendOnce(CloseableHttpAsyncClient client, HttpHost target, AsyncRequestProducer producer,
                                  AsyncResponseConsumer<T> consumer, HandlerFactory<AsyncPushConsumer> push,
                                  HttpContext context, FutureCallback<T> callback) {
        OWN_ATTEMPT.raise();
        try {
            return client.execute(target, producer, consumer, push, context, callback);
        } finally {
            OWN_ATTEMPT.lower();
        }
    }

    /**
     * The request head and its body's details, asked of producers known to hand them over again without side effects
     * ({@code BasicRequestProducer}: that of {@code SimpleHttpRequest}, {@code AsyncRequestBuilder} and Spring's
     * WebClient); others are looked at only through the target.
     */
    private static Head head(AsyncRequestProducer producer) throws Exception {
        Head head = new Head();
        if (producer instanceof BasicRequestProducer) {
            producer.sendRequest((request, body, context) -> {
                head.request = request;
                head.body = body;
            }, null);
        }
        return head;
    }

    /** What a producer says it sends: its request, and the body's details (its producer, for these producers). */
    private static final class Head {
        HttpRequest request;
        EntityDetails body;
    }

    /**
     * A {@code SimpleHttpRequest}'s body, which the request holds itself, as its producer was made from it: for the
     * call's model and to recognise a resend. Other producers' bodies could be read only by producing them, which
     * changes their state.
     */
    private static byte[] body(SimpleHttpRequest request) {
        SimpleBody body = request.getBody();
        if (body == null) {
            return NO_BODY;
        }
        // A text body is encoded anew for this: one past max-replay-bytes (in chars, so at least as many bytes) is
        // not, as no adapter copies a body that long.
        long max = RetryPolicy.current().settings().maxReplayBytes();
        byte[] bytes = body.isText() && body.getBodyText().length() > max ? null : body.getBodyBytes();
        return bytes == null || bytes.length > max ? null : bytes;
    }

    private static String whyNotReplayable(AsyncRequestProducer producer) {
        return producer.isRepeatable() ? null
                : "its request body is not repeatable (" + producer.getClass().getName() + ")";
    }
}
