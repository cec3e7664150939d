package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.keys.KeyCheck;
import io.togetheragent.core.keys.KeyCheckTest;
import io.togetheragent.core.settings.SettingsLoader;
import io.togetheragent.it.RedisServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallRetryTest {
    private static final HeaderLookup NO_HINT = name -> null;

    private static RetryPolicy policy(String args) {
        return new RetryPolicy(SettingsLoader.load(args, Map.of(), Map.of()).settings);
    }

    private static CallRetry call(String args) {
        return policy(args).begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null, Long.MAX_VALUE,
                KeyCheckTest.GOOD, false);
    }

    private static HeaderLookup retryAfterMs(long ms) {
        return name -> name.equals("retry-after-ms") ? String.valueOf(ms) : null;
    }

    /**
     * Issue 17: in a shared lane, booking is a round trip to Redis; an asynchronous client's turn (perhaps on an event
     * loop) is handed to the agent's Redis thread, which books it and sends it. A blocking client books on its own.
     */
    @Test
    void anAsynchronousTurnInASharedLaneIsBookedOffTheCallersThread() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            AtomicReference<String> sentFrom = new AtomicReference<>();
            CountDownLatch sent = new CountDownLatch(1);
            RetryPolicy policy = policy("shared-limit=" + redis.url());
            boolean handedOver = false;
            // The policy connects to Redis in the background; until then its calls are paced alone, at once here.
            for (int i = 0; i < 100 && !handedOver; i++) {
                handedOver = !policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null,
                        Long.MAX_VALUE, KeyCheckTest.GOOD, false).sendNowOr(() -> {
                            sentFrom.set(Thread.currentThread().getName());
                            sent.countDown();
                        });
                Thread.sleep(handedOver ? 0 : 50);
            }
            assertTrue(handedOver, "not sent from the caller's thread");
            assertTrue(sent.await(5, TimeUnit.SECONDS));
            assertEquals("together-agent-shared-limit", sentFrom.get());
            assertTrue(redis.command("KEYS", "together-agent:lane:*").startsWith("together-agent:lane:"),
                    "booked in Redis");
            assertTrue(call("").sendNowOr(() -> { }), "unshared: at once, by the caller");
            call("shared-limit=" + redis.url()).awaitTurn(() -> false);
        }
    }

    private static CallRetry callWithKey(String args, String authorization) {
        return policy(args).begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null, Long.MAX_VALUE,
                authorization, true);
    }

    @Test
    void aRepairedKeyIsGivenOnlyWhereItDiffersFromTheApplications() {
        String quoted = "Bearer \"" + KeyCheckTest.GOOD.substring("Bearer ".length()) + "\"";
        assertEquals(KeyCheckTest.GOOD, callWithKey("key-repair=trim", quoted).repairedAuthorization());
        assertNull(callWithKey("key-repair=trim", KeyCheckTest.GOOD).repairedAuthorization());
        assertNull(callWithKey("", quoted).repairedAuthorization());
        assertNull(callWithKey("key-repair=trim", null).repairedAuthorization());
        CallRetry late = callWithKey("key-repair=trim", KeyCheck.NOT_SEEN);
        assertNull(late.repairedAuthorization());
        late.sentWith(quoted, true);
        assertEquals(KeyCheckTest.GOOD, late.repairedAuthorization());
    }

    @Test
    void onlyTogetherHostsAreSteered() {
        assertNull(policy("").begin("POST", "api.openai.com", 443, "/v1/chat", null, Long.MAX_VALUE,
                KeyCheckTest.GOOD, false));
        assertNull(policy("mode=off").begin("POST", "api.together.xyz", 443, "/v1/chat", null, Long.MAX_VALUE,
                KeyCheckTest.GOOD, false));
    }

    @Test
    void retriesOnlyTheConfiguredStatuses() {
        CallRetry c = call("");
        assertEquals(-1, c.nextDelayNanos(200, NO_HINT));
        assertEquals(-1, c.nextDelayNanos(401, NO_HINT));
        assertEquals(-1, c.nextDelayNanos(500, NO_HINT));
        assertTrue(c.nextDelayNanos(429, NO_HINT) >= 0);
        assertTrue(c.nextDelayNanos(503, NO_HINT) >= 0);
        CallRetry with504 = call("retry-statuses=429,504");
        assertTrue(with504.nextDelayNanos(504, NO_HINT) >= 0);
        assertEquals(-1, with504.nextDelayNanos(503, NO_HINT));
    }

    /** Issue 15: a copy of the body found incomplete once sent ends retrying; the answer goes to the application. */
    @Test
    void aBodyFoundNotReplayableOnceSentIsNotRetried() {
        CallRetry c = call("");
        assertTrue(c.nextDelayNanos(429, retryAfterMs(1)) >= 0);
        c.cannotReplay("its request body had not all been sent when the answer came");
        assertEquals(-1, c.nextDelayNanos(429, retryAfterMs(1)));
        assertEquals(1, c.retries());
    }

    @Test
    void stopsAfterMaxRetries() {
        CallRetry c = call("max-retries=3");
        for (int i = 0; i < 3; i++) {
            assertTrue(c.nextDelayNanos(429, retryAfterMs(1)) >= 0);
        }
        assertEquals(-1, c.nextDelayNanos(429, retryAfterMs(1)));
        assertEquals(3, c.retries());
    }

    @Test
    void aWaitPastWhatIsLeftOfMaxWaitEndsRetrying() {
        CallRetry c = call("max-wait=10s");
        assertTrue(c.nextDelayNanos(429, retryAfterMs(4_000)) >= TimeUnit.SECONDS.toNanos(4));
        // 4 to 4.8 s spent; another 4 to 4.8 s may or may not fit, but 6 s cannot.
        assertEquals(-1, c.nextDelayNanos(429, retryAfterMs(6_000)));
        assertEquals(-1, call("").nextDelayNanos(429, name -> name.equals("retry-after") ? "3600" : null));
    }

    @Test
    void aWaitPastTheCallsDeadlineEndsRetrying() {
        CallRetry c = policy("").begin("POST", "api.together.xyz", 443, "/", null,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(1), KeyCheckTest.GOOD, false);
        assertEquals(-1, c.nextDelayNanos(429, retryAfterMs(2_000)));
    }

    @Test
    void aWaitThatLeavesTooLittleTimeForTheNextAttemptEndsRetrying() throws InterruptedException {
        CallRetry c = policy("").begin("POST", "api.together.xyz", 443, "/", null,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000), KeyCheckTest.GOOD,
                false);
        Thread.sleep(200);
        // 200 ms spent on the attempt, a wait of 500-600 ms: the next attempt would have at most 300 ms.
        assertEquals(-1, c.nextDelayNanos(429, retryAfterMs(500)));
    }

    /** Regression (issue 13): one retry-after of an hour made every later call wait all of max-wait. */
    @Test
    void aCoolDownLongerThanTheCallMayWaitIsNotWaitedAtAll() throws InterruptedException {
        RetryPolicy p = policy("max-wait=10s");
        CallRetry first = p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false);
        first.awaitTurn(() -> false);
        assertEquals(-1, first.nextDelayNanos(429, name -> name.equals("retry-after") ? "3600" : null));
        long start = System.nanoTime();
        p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false)
                .awaitTurn(() -> false);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "held back");
    }

    /** A streamed request's first turn waits the lane's pace and cool-down but takes no place under max-concurrent. */
    @Test
    void aPaceAloneTakesNoPlaceUnderMaxConcurrent() throws InterruptedException {
        RetryPolicy p = policy("max-concurrent=1");
        p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false)
                .awaitPace(() -> false);
        CallRetry second = p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD,
                false);
        assertTrue(second.sendNowOr(() -> { }), "the one place was free");
        assertFalse(p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false)
                .sendNowOr(() -> { }), "a turn took it");
    }

    @Test
    void aPaceAloneWaitsOutTheLanesCoolDown() throws InterruptedException {
        RetryPolicy p = policy("");
        CallRetry first = p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false);
        first.awaitTurn(() -> false);
        first.nextDelayNanos(429, retryAfterMs(300));
        long start = System.nanoTime();
        p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false)
                .awaitPace(() -> false);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(250), "waited " + waited / 1_000_000 + " ms");
    }

    /** A policy whose lane a first call's 429 closed for {@code retryAfterSeconds}. */
    private static RetryPolicy cooledDownFor(String retryAfterSeconds) throws InterruptedException {
        RetryPolicy p = policy("");
        CallRetry first = p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false);
        first.awaitTurn(() -> false);
        first.nextDelayNanos(429, name -> name.equals("retry-after") ? retryAfterSeconds : null);
        return p;
    }

    /**
     * Regression: an asynchronous turn held by a cool-down waited it out whatever the application did; Jetty, which
     * only records an abort of a request not yet sent, told the application of its abort when the turn came.
     */
    @Test
    void anAsynchronousTurnEndsAsSoonAsItsCallIsAborted() throws InterruptedException {
        RetryPolicy p = cooledDownFor("30");
        java.util.concurrent.atomic.AtomicBoolean aborted = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch went = new CountDownLatch(1);
        CallRetry held = p.begin("POST", "api.together.xyz", 443, "/", null, Long.MAX_VALUE, KeyCheckTest.GOOD, false);
        assertFalse(held.sendNowOr(aborted::get, went::countDown), "held by the cool-down");
        assertFalse(went.await(200, TimeUnit.MILLISECONDS), "not before its abort");
        aborted.set(true);
        assertTrue(went.await(5, TimeUnit.SECONDS), "at once after it, not in 30 s");
    }

    /** Regression (issue 13): the turn's allowance was half of what is left, recomputed until the deadline. */
    @Test
    void aTurnWaitsAtMostHalfOfWhatWasLeftOfTheTimeoutWhenItBegan() throws InterruptedException {
        RetryPolicy p = cooledDownFor("3");
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(4);
        p.begin("POST", "api.together.xyz", 443, "/", null, deadline, KeyCheckTest.GOOD, false).awaitTurn(() -> false);
        long waited = System.nanoTime() - start;
        assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(2_500), "waited " + waited / 1_000_000 + " ms");
    }

    @Test
    void withoutThrottleRepeated429sSpreadBeyondTheHintWithTheBackoff() {
        long longest = 0;
        for (int call = 0; call < 20; call++) {
            CallRetry c = call("throttle=off");
            for (int retry = 1; retry <= 4; retry++) {
                long delay = c.nextDelayNanos(429, retryAfterMs(10));
                assertTrue(delay >= TimeUnit.MILLISECONDS.toNanos(10), String.valueOf(delay));
                longest = Math.max(longest, delay);
            }
        }
        // The 4th retry's backoff step is random(0, 4 s): clients competing for one limit spread out.
        assertTrue(longest > TimeUnit.SECONDS.toNanos(1), String.valueOf(longest));
    }

    /** Paced, the lane's gate spreads the retries: the hint alone (1x to 1.2x) is the wait, however many retries. */
    @Test
    void withThrottleTheHintIsTheWait() {
        for (int call = 0; call < 20; call++) {
            CallRetry c = call("");
            for (int retry = 1; retry <= 4; retry++) {
                long delay = c.nextDelayNanos(429, retryAfterMs(10));
                assertTrue(delay >= TimeUnit.MILLISECONDS.toNanos(10), String.valueOf(delay));
                assertTrue(delay <= TimeUnit.MILLISECONDS.toNanos(12), String.valueOf(delay));
            }
        }
    }

    @Test
    void anUnreplayableBodyIsNeverRetried() {
        CallRetry c = policy("").begin("POST", "api.together.xyz", 443, "/", "its body is one-shot", Long.MAX_VALUE,
                KeyCheckTest.GOOD, false);
        assertEquals(-1, c.nextDelayNanos(429, NO_HINT));
    }

    @Test
    void observeNeverAsksForAWait() {
        assertEquals(-1, call("mode=observe").nextDelayNanos(429, retryAfterMs(10)));
    }

    @Test
    void aWaitIsNeverShorterThanAsked() throws InterruptedException {
        long start = System.nanoTime();
        call("").await(TimeUnit.MILLISECONDS.toNanos(120), () -> false);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(120));
    }

    @Test
    void aCancelledCallStopsWaiting() throws InterruptedException {
        long start = System.nanoTime();
        call("").await(TimeUnit.SECONDS.toNanos(30), () -> System.nanoTime() - start > 100_000_000L);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void onceTheBudgetIsSpentFailedCallsReturnAtOnce() {
        RetryPolicy policy = policy("retry-budget=0%");
        for (int call = 0; call < RetryBudget.FLOOR; call++) {
            assertTrue(begin(policy).nextDelayNanos(503, retryAfterMs(1)) >= 0, "the floor: call " + call);
        }
        assertEquals(-1, begin(policy).nextDelayNanos(503, retryAfterMs(1)));
        assertEquals(-1, begin(policy).nextDelayNanos(429, NO_HINT), "a 429 without the server's reset is charged");
        assertTrue(begin(policy).nextDelayNanos(429, retryAfterMs(1)) >= 0,
                "a 429 with the server's reset waits in the lane's gate, and costs no budget");
        RetryPolicy unpaced = policy("retry-budget=0%,throttle=off");
        for (int call = 0; call < RetryBudget.FLOOR; call++) {
            begin(unpaced).nextDelayNanos(429, retryAfterMs(1));
        }
        assertEquals(-1, begin(unpaced).nextDelayNanos(429, retryAfterMs(1)), "unpaced, every retry is charged");
        assertTrue(begin(policy("retry-budget=off")).nextDelayNanos(503, retryAfterMs(1)) >= 0);
    }

    /** A layer above resending a call the agent retried to the end gets no fresh set of retries. */
    @Test
    void aResendByARetryLayerAboveIsSentOnce() throws InterruptedException {
        RetryPolicy policy = policy("max-retries=1");
        CallRetry first = sdkAttempt(policy, "0", "digest-a");
        assertTrue(first.nextDelayNanos(429, retryAfterMs(1)) >= 0);
        assertEquals(-1, first.nextDelayNanos(429, retryAfterMs(1)));

        assertEquals(-1, sdkAttempt(policy, "1", "digest-a").nextDelayNanos(429, retryAfterMs(1)));
        assertTrue(sdkAttempt(policy, "1", "digest-b").nextDelayNanos(429, retryAfterMs(1)) >= 0,
                "another body is another call");
        assertTrue(sdkAttempt(policy, "0", "digest-a").nextDelayNanos(429, retryAfterMs(1)) >= 0,
                "an SDK's first attempt is a new call");
    }

    private static CallRetry begin(RetryPolicy policy) {
        return policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null, Long.MAX_VALUE,
                KeyCheckTest.GOOD, false);
    }

    private static CallRetry sdkAttempt(RetryPolicy policy, String retryCount, String digest)
            throws InterruptedException {
        CallRetry c = begin(policy).identify(name -> name.equals("x-stainless-retry-count") ? retryCount : null,
                () -> digest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        c.awaitTurn(() -> false);
        return c;
    }
}
