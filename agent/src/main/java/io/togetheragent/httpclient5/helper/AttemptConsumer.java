package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.retry.CallRetry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The response consumer of one attempt. It decides when the status and headers arrive: a response that will be
 * retried is read away and dropped (so its connection goes back to the pool), and only the final one ever reaches
 * the application's own consumer.
 */
final class AttemptConsumer<T> implements AsyncResponseConsumer<T> {
    private final CallRetry retry;
    private final AsyncResponseConsumer<T> application;
    /** How long to wait before the next attempt; -1 while this response is the application's. */
    volatile long delayNanos = -1;
    private volatile FutureCallback<T> dropped;

    AttemptConsumer(CallRetry retry, AsyncResponseConsumer<T> application) {
        this.retry = retry;
        this.application = application;
    }

    private boolean dropping() {
        return delayNanos >= 0;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<T> resultCallback) throws HttpException, IOException {
        long delay = retry.nextDelayNanos(response.getCode(), Requests.headers(response));
        if (delay < 0) {
            application.consumeResponse(response, entity, context, resultCallback);
            return;
        }
        delayNanos = delay;
        if (entity == null) {
            resultCallback.completed(null);
        } else {
            dropped = resultCallback;
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
        application.informationResponse(response, context);
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        if (dropping()) {
            channel.update(Integer.MAX_VALUE);
        } else {
            application.updateCapacity(channel);
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (dropping()) {
            src.position(src.limit());
        } else {
            application.consume(src);
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        if (dropping()) {
            dropped.completed(null);
        } else {
            application.streamEnd(trailers);
        }
    }

    @Override
    public void failed(Exception cause) {
        if (!dropping()) {
            application.failed(cause);
        }
    }

    @Override
    public void releaseResources() {
        if (!dropping()) {
            application.releaseResources();
        }
    }
}
