package io.togetheragent.jdkhttpclient.helper;

import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.SentBytes;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A body publisher of the application's own ({@code BodyPublishers.fromPublisher}, Spring's
 * {@code JdkClientHttpRequest}), which cannot be asked for the same bytes again: a copy of the bytes is kept as the
 * JDK pulls them, up to {@code max-replay-bytes}, and a retry sends the copy. Only a copy of a body that was all
 * sent, to its end and to its declared length, before the answer came is sent again.
 */
final class RecordedBody implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher application;
    private final int limit;
    /** The copy of the last sending: the JDK subscribes again when it sends the request again itself. */
    private volatile SentBytes copy;

    RecordedBody(HttpRequest.BodyPublisher application, int limit) {
        this.application = application;
        this.limit = limit;
    }

    @Override
    public long contentLength() {
        return application.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        SentBytes sending = new SentBytes(limit);
        sending.expect(application.contentLength());
        copy = sending;
        application.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                sending.sent(item);
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                sending.ended();
                subscriber.onComplete();
            }
        });
    }

    /** Before the retry decision: tells the call whether the copy is all of the body. */
    void tell(CallRetry retry) {
        SentBytes sent = copy;
        String why = sent == null ? "its request body, from a BodyPublisher of the application's, was not sent"
                : sent.tooLong() ? "its request body, from a BodyPublisher of the application's, was longer than"
                        + " max-replay-bytes (" + limit + ") and so was not kept"
                : sent.whyNotReplayable() != null ? "its request body, from a BodyPublisher of the application's,"
                        + " had not all been sent when the answer came"
                : contentLength() >= 0 && sent.size() != contentLength()
                        ? "its request body was not the length its BodyPublisher declared" : null;
        if (why != null) {
            retry.cannotReplay(why);
        }
    }

    /** The body as sent, or null while it is not all kept. */
    byte[] bytes() {
        SentBytes sent = copy;
        return sent != null && sent.whyNotReplayable() == null ? sent.bytes(-1) : null;
    }

    /** The copy, for the next attempt. */
    HttpRequest.BodyPublisher replay() {
        byte[] bytes = bytes();
        return HttpRequest.BodyPublishers.ofByteArray(bytes == null ? new byte[0] : bytes);
    }
}
