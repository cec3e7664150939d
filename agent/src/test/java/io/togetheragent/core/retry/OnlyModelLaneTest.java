package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.keys.KeyCheckTest;
import io.togetheragent.core.settings.SettingsLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: where a key has called one model only, its calls ride that model's lease without their bodies being
 * read, unless their answers say something: then they are read, and land in the lane their body names.
 */
class OnlyModelLaneTest {
    /** A 200 leaving the lane far from its limits: 1000 requests, 990 left. */
    private static final HeaderLookup FAR = name -> name.equals("x-ratelimit-limit") ? "1000"
            : name.equals("x-ratelimit-remaining") ? "990" : null;
    private static final HeaderLookup RESET_IN_30_S = name -> name.equals("retry-after") ? "30" : null;

    private final AtomicInteger reads = new AtomicInteger();
    private volatile Thread lastReader;

    private static RetryPolicy policy(String args) {
        return new RetryPolicy(SettingsLoader.load(args, Map.of(), Map.of()).settings);
    }

    /** A call naming this model, counting its body's reads. */
    private CallRetry call(RetryPolicy policy, String model) {
        byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"" + model + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null, Long.MAX_VALUE,
                KeyCheckTest.GOOD, false).identify(name -> null, () -> {
                    reads.incrementAndGet();
                    lastReader = Thread.currentThread();
                    return body;
                });
    }

    /** Whether the call took its turn without its body read. */
    private boolean unreadAtItsTurn(CallRetry call) throws InterruptedException {
        int before = reads.get();
        call.awaitTurn(() -> false);
        return reads.get() == before;
    }

    @Test
    void aCallOfTheKeysOnlyModelFarFromItsLimitsIsNeverRead() throws InterruptedException {
        RetryPolicy policy = policy("");
        int unread = 0;
        for (int i = 0; i < 200; i++) {
            CallRetry call = call(policy, "m");
            boolean unreadAtTurn = unreadAtItsTurn(call);
            int before = reads.get();
            assertEquals(-1, call.nextDelayNanos(200, FAR));
            if (unreadAtTurn) {
                unread++;
                assertEquals(before, reads.get(), "call " + i + ": an answer that changes nothing reads nothing");
            }
        }
        // The lane lends sends booked ahead for at most 10 ms: one call in so many (and any after a pause) is read.
        assertTrue(unread > 0, "every call was read");
    }

    @Test
    void aKeyThatCalledTwoModelsHasEveryCallRead() throws InterruptedException {
        RetryPolicy policy = policy("");
        callAnswered(policy, "m", FAR);
        callAnswered(policy, "n", FAR);
        assertEveryCallRead(policy, FAR);
    }

    /**
     * An answer that leaves the lane near its limits ends what it lent: the next call is read, and books its turn by
     * its own model and tokens.
     */
    @Test
    void aCallOfALaneNearItsLimitsIsRead() throws InterruptedException {
        RetryPolicy policy = policy("");
        callAnswered(policy, "m", FAR);
        // 990 were left; now 400 are: most of what the lane may burst is used.
        assertEveryCallRead(policy, name -> name.equals("x-ratelimit-limit") ? "1000"
                : name.equals("x-ratelimit-remaining") ? "400" : null);
    }

    @Test
    void withoutThePaceEveryCallIsRead() throws InterruptedException {
        assertEveryCallRead(policy("throttle=off"), FAR);
    }

    /**
     * An asynchronous call that waits for a place under max-concurrent may be given its turn on the agent's scheduler
     * thread, which must never write a body: it is read at once, on its caller's thread.
     */
    @Test
    void anAsynchronousCallWaitingForAPlaceIsReadOnItsCallersThread() throws InterruptedException {
        RetryPolicy policy = policy("max-concurrent=1");
        callAnswered(policy, "m", FAR);
        CallRetry inFlight = call(policy, "m");
        inFlight.awaitTurn(() -> false);
        lastReader = null;
        assertFalse(call(policy, "m").sendNowOr(() -> { }), "waits for the one place");
        assertSame(Thread.currentThread(), lastReader);
        inFlight.nextDelayNanos(200, FAR);
    }

    /** A call of this model that took its turn and got a 200 with these headers. */
    private void callAnswered(RetryPolicy policy, String model, HeaderLookup answer) throws InterruptedException {
        CallRetry call = call(policy, model);
        call.awaitTurn(() -> false);
        call.nextDelayNanos(200, answer);
    }

    /** 50 calls of model m, each answered by a 200 with these headers: each read before its turn. */
    private void assertEveryCallRead(RetryPolicy policy, HeaderLookup answer) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            CallRetry call = call(policy, "m");
            assertFalse(unreadAtItsTurn(call), "call " + i);
            call.nextDelayNanos(200, answer);
        }
    }

    /** A call of another model that rode the only lane's lease: its 429 cools its own model's lane, not the other. */
    @Test
    void anUnreadCallsLimitLandsInTheLaneItsBodyNames() throws InterruptedException {
        RetryPolicy policy = unreadCallLimited("n");
        assertFalse(call(policy, "n").sendNowOr(() -> { }), "n's lane cools down");
        assertTrue(call(policy, "m").sendNowOr(() -> { }), "m's does not");
    }

    @Test
    void anUnreadCallsLimitCoolsTheOnlyModelsLane() throws InterruptedException {
        RetryPolicy policy = unreadCallLimited("m");
        assertFalse(call(policy, "m").sendNowOr(() -> { }), "m's lane cools down");
    }

    /**
     * A policy where a key's calls of model m left its lane far from its limits, and then a call naming
     * {@code model}, sent unread on m's lease, met a 429 with a reset in 30 s (read then).
     */
    private RetryPolicy unreadCallLimited(String model) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            RetryPolicy policy = policy("");
            callAnswered(policy, "m", FAR);
            callAnswered(policy, "m", FAR);
            CallRetry limited = call(policy, model);
            if (!unreadAtItsTurn(limited)) {
                // The lease had run out (10 ms at most): read, a call of its own model; again.
                continue;
            }
            int before = reads.get();
            assertTrue(limited.nextDelayNanos(429, RESET_IN_30_S) >= 0, "retried");
            assertEquals(before + 1, reads.get(), "read once its answer said something");
            return policy;
        }
        throw new AssertionError("no call went unread in 100 attempts");
    }
}
