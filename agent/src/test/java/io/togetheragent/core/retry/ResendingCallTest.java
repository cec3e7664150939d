package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.keys.KeyCheckTest;
import io.togetheragent.core.settings.SettingsLoader;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResendingCallTest {
    private static final String BODY = "{\"model\":\"m\"}";

    /** A client whose answers are names; what the call does next completes {@link #next}. */
    private static class FakeCall extends ResendingCall<String> {
        final CompletableFuture<String> next = new CompletableFuture<>();

        FakeCall() {
            this("base-delay=1ms");
        }

        FakeCall(String settings) {
            this(new RetryPolicy(SettingsLoader.load(settings, Map.of(), Map.of()).settings));
        }

        private FakeCall(RetryPolicy policy) {
            super("the fake retry", policy, policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions",
                    null, Long.MAX_VALUE, KeyCheckTest.GOOD, true), Long.MAX_VALUE);
        }

        void holdsItsBodyInMemory() {
            replaysHeldBody(() -> BODY.getBytes(StandardCharsets.UTF_8));
        }

        void sentWholeBodyWithoutItsEnd() {
            sent.sent(ByteBuffer.wrap(BODY.getBytes(StandardCharsets.UTF_8)));
        }

        String next() throws Exception {
            return next.get(10, TimeUnit.SECONDS);
        }

        @Override
        protected Throwable abortCause() {
            return null;
        }

        @Override
        protected void sendCopy(byte[] body) {
            next.complete("resent " + new String(body, StandardCharsets.UTF_8));
        }

        @Override
        protected void handOn(String answer, byte[] body) {
            next.complete("handed on " + answer);
        }

        @Override
        protected String contentLengthHeader() {
            return String.valueOf(BODY.length());
        }
    }

    /**
     * Regression (Jetty 12 under load): the server read the whole request and answered 503, then closed; the
     * connection's end came before Jetty's own write callback marked the request sent, so Jetty failed the request
     * with the answer's EOFException and the 503 reached the application unretried.
     */
    @Test
    void aRequestFailedOnlyByItsAnswersBrokenConnectionIsRetriedWithItsBody() throws Exception {
        FakeCall call = new FakeCall();
        call.sentWholeBodyWithoutItsEnd();
        EOFException broken = new EOFException("connection closed");
        call.taken("503", true, broken, broken, 503, name -> null);
        assertEquals("resent " + BODY, call.next());
    }

    @Test
    void aRequestThatFailedForAReasonOfItsOwnIsHandedOn() throws Exception {
        FakeCall call = new FakeCall();
        call.sentWholeBodyWithoutItsEnd();
        call.taken("503", true, new IllegalStateException("body source failed"), new EOFException(), 503,
                name -> null);
        assertEquals("handed on 503", call.next());
    }

    @Test
    void aBodyShortOfItsDeclaredLengthIsNotResent() throws Exception {
        FakeCall call = new FakeCall() {
            @Override
            protected String contentLengthHeader() {
                return String.valueOf(BODY.length() + 1);
            }
        };
        call.sentWholeBodyWithoutItsEnd();
        EOFException broken = new EOFException("connection closed");
        call.taken("503", true, broken, broken, 503, name -> null);
        String next = call.next();
        assertTrue(next.startsWith("handed on"), next);
    }

    /** A body the client holds in memory is resent from there: none of it was kept as it went out. */
    @Test
    void aBodyHeldInMemoryIsResentWithoutBeingKeptAsSent() throws Exception {
        FakeCall call = new FakeCall();
        call.holdsItsBodyInMemory();
        call.taken("429", true, null, null, 429, name -> null);
        assertEquals("resent " + BODY, call.next());
    }

    @Test
    void aBodyHeldInMemoryLongerThanMaxReplayBytesIsNotResent() throws Exception {
        FakeCall call = new FakeCall("base-delay=1ms,max-replay-bytes=" + (BODY.length() - 1));
        call.holdsItsBodyInMemory();
        call.taken("429", true, null, null, 429, name -> null);
        assertEquals("handed on 429", call.next());
    }
}
