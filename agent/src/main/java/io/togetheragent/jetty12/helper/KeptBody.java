package io.togetheragent.jetty12.helper;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.ResponseListeners;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;

/**
 * A kept answer whose body broke off, handed on: its bytes, then the very failure, read as the body's end. The
 * failure is told to the listeners only once the body has been read to it, since a listener that hears of it
 * first drops what it has not yet handed on (Jetty's {@code InputStreamResponseListener} does), and the
 * application would lose the part it would have read without the agent.
 */
final class KeptBody implements Content.Source {
    private final ByteBuffer bytes;
    private final Throwable failure;
    private final Runnable atEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private boolean given;

    private KeptBody(byte[] bytes, Throwable failure, Runnable atEnd) {
        this.bytes = ByteBuffer.wrap(bytes);
        this.failure = failure;
        this.atEnd = atEnd;
    }

    static void handOnBrokenOff(ResponseListeners listeners, Result result, Response kept, byte[] bytes) {
        Throwable failure = result.getResponseFailure() != null ? result.getResponseFailure() : result.getFailure();
        KeptBody body = new KeptBody(bytes, failure, () -> {
            listeners.notifyFailure(kept, failure);
            listeners.notifyComplete(new Result(result.getRequest(), result.getRequestFailure(), kept, failure));
        });
        listeners.notifyBegin(kept);
        for (HttpField field : kept.getHeaders()) {
            listeners.notifyHeader(kept, field);
        }
        listeners.notifyHeaders(kept);
        listeners.notifyContentSource(kept, body);
    }

    @Override
    public synchronized Content.Chunk read() {
        if (!given && bytes.hasRemaining()) {
            given = true;
            return Content.Chunk.from(bytes.slice(), false);
        }
        end();
        return Content.Chunk.from(failure, true);
    }

    @Override
    public void demand(Runnable demandCallback) {
        // Everything is here: whatever is read next is available now.
        demandCallback.run();
    }

    @Override
    public void fail(Throwable cause) {
        end();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            atEnd.run();
        }
    }
}
