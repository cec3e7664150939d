package io.togetheragent.jdkhttpclient.helper;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The bytes a replayable body publisher publishes, read by subscribing once more (the JDK's own publishers give
 * every subscriber the same bytes): to recognise a call a retry layer above sends again.
 */
final class PublishedBytes implements Flow.Subscriber<ByteBuffer> {
    /** The JDK's publishers of bytes in memory publish at once; one that takes longer is not waited for. */
    private static final long MAX_WAIT_MILLIS = 500;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean failed;

    private PublishedBytes() {}

    /** The body's bytes (empty for none), or null when they could not be read. */
    static byte[] of(HttpRequest request) {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null) {
            return new byte[0];
        }
        try {
            PublishedBytes subscriber = new PublishedBytes();
            publisher.subscribe(subscriber);
            if (!subscriber.done.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS) || subscriber.failed) {
                return null;
            }
            synchronized (subscriber.bytes) {
                return subscriber.bytes.toByteArray();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        synchronized (bytes) {
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        failed = true;
        done.countDown();
    }

    @Override
    public void onComplete() {
        done.countDown();
    }
}
