package io.togetheragent.core.retry;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.SentBytes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One call of a client that lets the agent take an answer in place of the application's listeners and send the
 * next attempt as a copy of the request (Jetty's protocol handlers): the answer's body is kept, and when the call
 * is over the last answer is handed on unchanged. The flow, for every such client; what a request, an answer and
 * a copy are is the adapter's. Answers come on the client's threads; waits are scheduled, and the next attempt is
 * sent from the agent's scheduler thread.
 *
 * @param <A> the client's type of a finished exchange: request, answer and failure
 */
public abstract class ResendingCall<A> {
    private static final byte[] NO_BYTES = new byte[0];
    protected final CallRetry retry;
    protected final SentBytes sent;
    protected final long deadlineNanos;
    private final RetryPolicy policy;
    /** Names the adapter in reports of the agent's own failures: "the Jetty retry". */
    private final String where;
    /** Set once the current attempt's answer went to the core: an answer handed on is not decided twice. */
    private volatile boolean decided;
    /** The taken answer's body so far: begun at its first part, as most answers are not taken. */
    private volatile ByteArrayOutputStream body;
    /**
     * The request's body where the client holds it whole in memory and gives the same bytes each time it is read:
     * then nothing is copied as it goes out, and each copy is sent these bytes. Null: the bytes are kept as sent.
     */
    private volatile Supplier<byte[]> heldBody;
    /** The failure of the first attempt's answer, which a client may also record as the request's abort cause. */
    private volatile Throwable firstFailure;
    /** The last answer taken, and its body: handed on if the next attempt cannot be sent. */
    private volatile A last;
    private volatile byte[] lastBody;

    protected ResendingCall(String where, RetryPolicy policy, CallRetry retry, long deadlineNanos) {
        this.where = where;
        this.policy = policy;
        this.retry = retry;
        this.deadlineNanos = deadlineNanos;
        this.sent = new SentBytes(policy.settings().maxReplayBytes());
    }

    /** Why the application's own request was aborted, or null. */
    protected abstract Throwable abortCause();

    /** Sends the next attempt: a copy of the request, with this body (empty for none). */
    protected abstract void sendCopy(byte[] body);

    /** Gives the application this answer, with its kept body, as if the agent had not taken it. */
    protected abstract void handOn(A answer, byte[] body);

    /** Whether the agent takes an answer with this status: one it may retry, or whose body the key check reads. */
    public boolean takes(int status) {
        return retry.resends() && (policy.settings().isRetryStatus(status) || retry.wantsBody(status));
    }

    /** An answer the agent did not take, as its headers come; it goes on to the application. */
    protected void answered(int status, HeaderLookup headers) {
        if (!decided) {
            decided = true;
            retry.nextDelayNanos(status, headers);
        }
    }

    /** An attempt ended; one that failed before any answer was decided gives its place back. */
    protected void ended(boolean failed) {
        if (failed && !decided) {
            decided = true;
            retry.attemptFailed();
        }
    }

    /** The first attempt, held for its turn, could not be sent: its place goes back. */
    protected void firstNotSent(Throwable t) {
        // The client reports its own failures to the listeners; this would be one of the agent's.
        FailOpen.report(where, t);
        retry.attemptFailed();
    }

    /**
     * The client holds the request's body whole in memory, and reads it afresh for each send (Jetty's in-memory
     * contents): a copy is sent what this gives, and the adapter need not keep the bytes as they go out. The body
     * gives null past max-replay-bytes (as {@code RequestBodies.joined} does): then the call is not retried.
     */
    protected void replaysHeldBody(Supplier<byte[]> body) {
        heldBody = body;
    }

    /** A part of a taken answer's body. */
    public void bodyPart(ByteBuffer part) {
        ByteBuffer bytes = part.duplicate();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        if (body == null) {
            body = new ByteArrayOutputStream(array.length);
        }
        body.write(array, 0, array.length);
    }

    /**
     * A taken answer is over: retry, or hand it on as it came. One whose body broke off is retried as any other
     * (its status and headers came whole); one whose request failed for a reason of its own is not.
     *
     * @param ofFirst whether it answers the application's own request
     * @param requestFailure why sending the request failed, or null
     * @param responseFailure why the answer failed (its body broke off), or null
     */
    protected void taken(A answer, boolean ofFirst, Throwable requestFailure, Throwable responseFailure, int status,
                         HeaderLookup headers) {
        byte[] bytes = body == null ? NO_BYTES : body.toByteArray();
        long delay = -1;
        decided = true;
        if (ofFirst) {
            firstFailure = responseFailure != null ? responseFailure : requestFailure;
        }
        // When an answer's connection breaks before the client has marked its request sent (the server read it and
        // answered faster than the client's own write callback ran), Jetty fails the request with the answer's
        // failure: the request went, whole if every byte it declared was handed out.
        boolean answersFailure = requestFailure != null && requestFailure == responseFailure;
        if (answersFailure) {
            sent.endedIfAllOf(contentLengthHeader());
        }
        if (requestFailure != null && !answersFailure) {
            retry.attemptFailed();
        } else {
            try {
                String why = whyNotReplayable();
                if (why != null) {
                    retry.cannotReplay(why);
                }
                Supplier<String> text = () -> new String(bytes, StandardCharsets.UTF_8);
                delay = retry.nextDelayNanos(status, headers, text);
            } catch (Throwable t) {
                FailOpen.report(where, t);
            }
        }
        if (delay < 0) {
            handOn(answer, bytes);
            return;
        }
        last = answer;
        lastBody = bytes;
        Scheduler.waitThen(delay, this::aborted, this::again);
    }

    private String whyNotReplayable() {
        Supplier<byte[]> held = heldBody;
        if (held == null) {
            return sent.whyNotReplayable();
        }
        byte[] bytes = held.get();
        int limit = policy.settings().maxReplayBytes();
        return bytes == null || bytes.length > limit ? SentBytes.tooLong(limit) : null;
    }

    /** Whether the application aborted its request (not the client, recording the first answer's failure). */
    protected boolean aborted() {
        Throwable cause = abortCause();
        return cause != null && cause != firstFailure;
    }

    private void again() {
        try {
            if (aborted() || retry.sendNowOr(this::aborted, this::sendOrHandOn)) {
                sendOrHandOn();
            }
        } catch (Throwable t) {
            FailOpen.report(where, t);
            handOn(last, lastBody);
        }
    }

    /** If the agent fails to send the next attempt, the application gets the last answer, as without it. */
    private void sendOrHandOn() {
        try {
            FailOpen.injectFault("resend");
            body = null;
            decided = false;
            Supplier<byte[]> held = heldBody;
            sendCopy(held != null ? held.get() : sent.bytesAsDeclared(contentLengthHeader()));
        } catch (Throwable t) {
            FailOpen.report(where, t);
            retry.attemptFailed();
            handOn(last, lastBody);
        }
    }

    /** The request's Content-Length header as sent, or null. */
    protected abstract String contentLengthHeader();
}
