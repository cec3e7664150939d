package io.togetheragent.core.retry;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderLookup;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The attempt loop of a client whose calls block the calling thread: send, decide, and while the core says so,
 * release the response, wait, send again. The adapter says how its client does each step.
 */
public final class BlockingRetry {
    /** One application call, as its client adapter sends and releases it. */
    public interface Call<R> {
        R send() throws IOException;

        int status(R response);

        /** The response's headers, read by the core once per answer; a {@code HeaderList} where the client has one. */
        HeaderLookup headers(R response);

        /** Releases a response the application will never see, so its connection goes back to the pool. */
        void discard(R response);

        /** Whether the application cancelled or aborted the call meanwhile. */
        boolean cancelled();

        /** Makes the request ready to be sent again. */
        void reset();

        /**
         * The response body as text, read so that the application still gets all of it, for the key check (asked
         * only of 401, 402 and 429 responses); null when this client cannot.
         */
        default String body(R response) {
            return null;
        }
    }

    private BlockingRetry() {}

    /**
     * The final response: the first the core does not retry.
     *
     * @throws InterruptedIOException when the thread is interrupted during a wait (its flag set again), as clients
     *     report an interrupted call
     */
    public static <R> R run(CallRetry retry, Call<R> call, Object target) throws IOException {
        R response = sendInTurn(retry, call, target);
        while (true) {
            R received = response;
            long delay = nextDelayNanos(retry, call, received);
            if (delay < 0) {
                return received;
            }
            call.discard(received);
            try {
                retry.await(delay, call::cancelled);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted while waiting to retry " + target);
            }
            call.reset();
            // A call cancelled during the wait fails here with the client's own exception.
            response = sendInTurn(retry, call, target);
        }
    }

    /**
     * The core's decision on an answer. Its status and headers are read by the adapter's code, which the core's own
     * guard does not cover: should that fail (the agent's bug, never the client's), the answer goes to the
     * application as it is.
     */
    private static <R> long nextDelayNanos(CallRetry retry, Call<R> call, R received) {
        int status;
        HeaderLookup headers;
        try {
            status = call.status(received);
            headers = call.headers(received);
            FailOpen.injectFault("read-answer");
        } catch (Throwable t) {
            return retry.answerUnread(t);
        }
        return retry.nextDelayNanos(status, headers, retry.readsBody(status) ? () -> call.body(received) : null);
    }

    private static <R> R sendInTurn(CallRetry retry, Call<R> call, Object target) throws IOException {
        try {
            retry.awaitTurn(call::cancelled);
        } catch (InterruptedException e) {
            retry.attemptFailed();
            throw new InterruptedIOException("interrupted while waiting for the turn of " + target);
        }
        try {
            return call.send();
        } catch (IOException | RuntimeException | Error e) {
            retry.attemptFailed();
            throw e;
        }
    }
}
