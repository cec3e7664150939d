package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.instrumentation.CallHook;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
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

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object call(Object client, Object... args) {
        if (OWN_ATTEMPT.isRaised()) {
            OWN_ATTEMPT.lower();
            return null;
        }
        AsyncRequestProducer producer = (AsyncRequestProducer) args[1];
        HttpRequest head;
        CallRetry retry;
        try {
            head = head(producer);
            retry = Requests.begin((HttpHost) args[0], head, whyNotReplayable(producer),
                    "the HttpClient 5 async retry");
        } catch (Throwable t) {
            FailOpen.report("the HttpClient 5 async retry", t);
            return null;
        }
        if (retry == null) {
            return null;
        }
        Requests.repairKey(head, retry);
        return new AsyncCall((CloseableHttpAsyncClient) client, (HttpHost) args[0], head, producer,
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
     * The request head, asked of producers known to hand it over again without side effects (those of
     * {@code SimpleHttpRequest} and {@code AsyncRequestBuilder}); others are looked at only through the target.
     */
    private static HttpRequest head(AsyncRequestProducer producer) throws Exception {
        if (!(producer instanceof BasicRequestProducer)) {
            return null;
        }
        HttpRequest[] head = new HttpRequest[1];
        producer.sendRequest((request, entity, context) -> head[0] = request, null);
        return head[0];
    }

    private static String whyNotReplayable(AsyncRequestProducer producer) {
        return producer.isRepeatable() ? null
                : "its request body is not repeatable (" + producer.getClass().getName() + ")";
    }
}
