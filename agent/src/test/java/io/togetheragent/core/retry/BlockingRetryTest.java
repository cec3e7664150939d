package io.togetheragent.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.keys.KeyCheckTest;
import io.togetheragent.core.settings.SettingsLoader;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockingRetryTest {
    /** A client whose responses are their status codes, recording what the loop asks of it. */
    private static class FakeCall implements BlockingRetry.Call<Integer> {
        final Deque<Integer> statuses;
        final List<String> steps = new ArrayList<>();

        FakeCall(Integer... statuses) {
            this.statuses = new ArrayDeque<>(Arrays.asList(statuses));
        }

        @Override
        public Integer send() {
            steps.add("send");
            return statuses.removeFirst();
        }

        @Override
        public int status(Integer response) {
            return response;
        }

        @Override
        public HeaderLookup headers(Integer response) {
            return name -> name.equals("retry-after-ms") ? "1" : null;
        }

        @Override
        public void discard(Integer response) {
            steps.add("discard " + response);
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void reset() {
            steps.add("reset");
        }
    }

    private static CallRetry call(String args) {
        return new RetryPolicy(SettingsLoader.load(args, Map.of(), Map.of()).settings)
                .begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null, Long.MAX_VALUE,
                        KeyCheckTest.GOOD, false);
    }

    @Test
    void discardsAndResetsBeforeEachResendAndReturnsTheFirstResponseNotRetried() throws Exception {
        FakeCall c = new FakeCall(429, 503, 200, 429);
        assertEquals(200, BlockingRetry.run(call("base-delay=1ms"), c, "target"));
        assertEquals(List.of("send", "discard 429", "reset", "send", "discard 503", "reset", "send"), c.steps);
    }

    @Test
    void handsOverTheLastResponseWhenRetriesAreUsedUp() throws Exception {
        FakeCall c = new FakeCall(429, 429, 429, 200);
        assertEquals(429, BlockingRetry.run(call("base-delay=1ms,max-retries=2"), c, "target"));
        assertEquals(3, c.steps.stream().filter("send"::equals).count());
        assertEquals(2, c.steps.stream().filter(s -> s.startsWith("discard")).count());
    }

    @Test
    void anInterruptedWaitEndsTheCallAsAnInterruptedIoAndKeepsTheFlag() {
        FakeCall c = new FakeCall(429, 200);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> BlockingRetry.run(call("base-delay=1ms"), c, "t"));
            assertTrue(Thread.interrupted());
        } finally {
            Thread.interrupted();
        }
    }

    /** An adapter that fails to read its client's answer: the agent's bug, in its status or its headers. */
    private static FakeCall unreadable(boolean status, Integer... statuses) {
        return new FakeCall(statuses) {
            @Override
            public int status(Integer response) {
                if (status) {
                    throw new IllegalStateException("the adapter's bug");
                }
                return response;
            }

            @Override
            public HeaderLookup headers(Integer response) {
                throw new IllegalStateException("the adapter's bug");
            }
        };
    }

    /** Regression: an adapter's failure to read an answer reached the application instead of the answer. */
    @Test
    void anAnswerTheAdapterCannotReadGoesToTheApplicationAsItIs() throws Exception {
        FakeCall headersFail = unreadable(false, 429, 200);
        assertEquals(429, BlockingRetry.run(call("base-delay=1ms"), headersFail, "target"));
        assertEquals(List.of("send"), headersFail.steps);

        FakeCall statusFails = unreadable(true, 503, 200);
        assertEquals(503, BlockingRetry.run(call("base-delay=1ms"), statusFails, "target"));
        assertEquals(List.of("send"), statusFails.steps);
    }

    @Test
    void anAnswerTheAdapterCannotReadGivesItsPlaceUnderMaxConcurrentBack() throws Exception {
        RetryPolicy policy = new RetryPolicy(SettingsLoader.load("max-concurrent=1", Map.of(), Map.of()).settings);
        BlockingRetry.run(begin(policy), unreadable(false, 429), "target");
        // The one place is free again: the next call may go at once rather than queue.
        assertTrue(begin(policy).sendNowOr(() -> { }));
    }

    private static CallRetry begin(RetryPolicy policy) {
        return policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null, Long.MAX_VALUE,
                KeyCheckTest.GOOD, false);
    }
}
