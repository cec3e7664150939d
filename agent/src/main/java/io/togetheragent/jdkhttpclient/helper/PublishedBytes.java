package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.RequestBodies;
import io.togetheragent.core.SentBytes;
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
    private static final byte[] NO_BODY = {};

    private final SentBytes bytes;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean failed;
    private volatile Flow.Subscription subscription;

    private PublishedBytes(SentBytes bytes) {
        this.bytes = bytes;
    }

    /**
     * The body's bytes (empty for none), or null when they could not be read or are longer than
     * {@code max-replay-bytes} (a file upload: it is not held in memory to find the model it names).
     */
    static byte[] of(HttpRequest request) {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null) {
            return NO_BODY;
        }
        try {
            SentBytes copy = RequestBodies.copyFor(publisher.contentLength());
            if (copy == null) {
                return null;
            }
            PublishedBytes subscriber = new PublishedBytes(copy);
            publisher.subscribe(subscriber);
            if (!subscriber.done.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS) || subscriber.failed
                    || subscriber.bytes.tooLong()) {
                return null;
            }
            return subscriber.bytes.bytes(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
        bytes.sent(item);
        if (bytes.tooLong()) {
            subscription.cancel();
            done.countDown();
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
