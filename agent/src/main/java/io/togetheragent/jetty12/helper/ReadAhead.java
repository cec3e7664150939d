package io.togetheragent.jetty12.helper;

import io.togetheragent.core.Scheduler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;

/**
 * A request body read before the call's first turn, for the model it names (and so the lane the call waits in), and
 * given to Jetty in the request in its place. Spring writes its body after it has sent the request (an
 * {@code OutputStreamRequestContent}, WebClient's a publisher): the agent reads it as it is written, up to
 * {@code max-replay-bytes} and for at most {@value #MAX_READ_MILLIS} ms. Jetty then reads what was read, in the same
 * chunks, and, where reading stopped short of the end, the rest from the application's body as it comes; its length
 * and content type are the application's, so the request goes out framed as it would have.
 *
 * <p>Jetty's sources take one demand at a time: a demand of the agent's may still be waiting on the application's
 * body when Jetty asks for more, and Jetty's is then run when the agent's is.
 */
final class ReadAhead implements Request.Content {
    /** A body written right after the send is read at once; this bounds one written slowly. */
    private static final long MAX_READ_MILLIS = 500;

    private final Request.Content application;
    private final int limit;
    /** The chunks read, copied, in order; Jetty is given them before anything more of the application's. */
    private final List<Content.Chunk> read = new ArrayList<>();
    private int size;
    private int given;
    /** Whether the application's body came to its end (or its last failure) while read ahead. */
    private boolean ended;
    /** Whether reading ahead stopped: to its end, past the limit, failed, or too slow. */
    private boolean stopped;
    /** A demand of the agent's on the application's body has not yet been answered. */
    private boolean demanding;
    /** Jetty's demand, waiting for the agent's to be answered. */
    private Runnable jettyDemand;
    /** After a rewind, Jetty reads the application's body itself. */
    private boolean rewound;
    private Runnable whenStopped;
    private ScheduledFuture<?> timer;
    /** The body read to its end, once asked for. */
    private byte[] whole;

    ReadAhead(Request.Content application, int limit) {
        this.application = application;
        this.limit = limit;
    }

    /** Reads what the body has now; returns whether reading ahead stopped (then the read is over). */
    boolean readNow() {
        readOn();
        return isStopped();
    }

    /**
     * Reading goes on as the body is written; {@code whenStopped} runs once it stops, on the thread that stops it.
     * Give this to Jetty in the body's place first: it may be sent from another thread before this returns.
     *
     * @return whether reading stopped meanwhile (then {@code whenStopped} does not run)
     */
    boolean readOnThen(long deadlineNanos, Runnable whenStopped) {
        synchronized (this) {
            if (stopped) {
                return true;
            }
            this.whenStopped = whenStopped;
            long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
            timer = Scheduler.schedule(() -> stop(null),
                    Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(MAX_READ_MILLIS))));
            return false;
        }
    }

    synchronized boolean isStopped() {
        return stopped;
    }

    /** The body, read to its end within the limit, or null. */
    synchronized byte[] bytes() {
        if (whole == null && ended && !rewound && size <= limit) {
            whole = joined();
        }
        return whole;
    }

    /**
     * Under the lock: the chunks' bytes in one array; null if one failed. Read from the copies' arrays, which Jetty's
     * reading them does not move (a single chunk's is the body already).
     */
    private byte[] joined() {
        List<byte[]> copies = new ArrayList<>(read.size());
        for (Content.Chunk chunk : read) {
            if (Content.Chunk.isFailure(chunk)) {
                return null;
            }
            if (chunk != Content.Chunk.EOF) {
                copies.add(chunk.getByteBuffer().array());
            }
        }
        if (copies.size() == 1) {
            return copies.get(0);
        }
        byte[] bytes = new byte[size];
        int at = 0;
        for (byte[] copy : copies) {
            System.arraycopy(copy, 0, bytes, at, copy.length);
            at += copy.length;
        }
        return bytes;
    }

    /**
     * Reads what the application's body has now, on the thread that starts reading or answers a demand of the
     * agent's. A chunk is read and kept under the lock, so that Jetty, once it reads, finds every chunk read before
     * it in order; its buffer goes back to the application outside it.
     */
    private void readOn() {
        while (true) {
            Content.Chunk chunk;
            Runnable then = null;
            synchronized (this) {
                demanding = false;
                if (stopped) {
                    break;
                }
                chunk = application.read();
                if (chunk == null) {
                    demanding = true;
                } else {
                    then = keep(chunk);
                }
            }
            if (chunk == null) {
                application.demand(this::readOn);
                return;
            }
            chunk.release();
            if (then != null) {
                then.run();
            }
        }
        Runnable jettys;
        synchronized (this) {
            jettys = jettyDemand;
            jettyDemand = null;
        }
        if (jettys != null) {
            jettys.run();
        }
    }

    /** Under the lock: a copy of the chunk (in an array of its own size); what runs if it stops reading ahead. */
    private Runnable keep(Content.Chunk chunk) {
        if (Content.Chunk.isFailure(chunk)) {
            read.add(chunk);
            ended = chunk.isLast();
            return stopLocked();
        }
        ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
        copy.put(chunk.getByteBuffer().slice()).flip();
        boolean last = chunk.isLast();
        read.add(last && !copy.hasRemaining() ? Content.Chunk.EOF : Content.Chunk.from(copy, last));
        size += copy.remaining();
        ended = last;
        return last || size > limit ? stopLocked() : null;
    }

    /** From the timer, or Jetty failing the body: reading ahead stops where it is. */
    private void stop(Throwable failure) {
        Runnable then;
        synchronized (this) {
            then = stopLocked();
        }
        if (failure != null) {
            application.fail(failure);
        }
        if (then != null) {
            then.run();
        }
    }

    /** Under the lock: what runs now that reading ahead stopped, the first time it does; null otherwise. */
    private Runnable stopLocked() {
        if (stopped) {
            return null;
        }
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
        Runnable then = whenStopped;
        whenStopped = null;
        return then;
    }

    @Override
    public Content.Chunk read() {
        synchronized (this) {
            if (given < read.size()) {
                return read.get(given++);
            }
            if (ended && !rewound) {
                // As the application's body would: its end, or its last failure, read again.
                Content.Chunk end = read.get(read.size() - 1);
                return Content.Chunk.isFailure(end) ? end : Content.Chunk.EOF;
            }
        }
        return application.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        boolean now;
        synchronized (this) {
            now = given < read.size() || ended && !rewound;
            if (!now && demanding) {
                // Run when the agent's own demand is answered: the application's body takes one at a time.
                jettyDemand = demandCallback;
                return;
            }
        }
        if (now) {
            demandCallback.run();
        } else {
            application.demand(demandCallback);
        }
    }

    @Override
    public void fail(Throwable failure) {
        stop(failure);
    }

    @Override
    public boolean rewind() {
        // Only as far as the application's body rewinds: Jetty's redirects send it again only if it can.
        if (!application.rewind()) {
            return false;
        }
        synchronized (this) {
            rewound = true;
            given = read.size();
        }
        return true;
    }

    @Override
    public long getLength() {
        return application.getLength();
    }

    @Override
    public String getContentType() {
        return application.getContentType();
    }
}
