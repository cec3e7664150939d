package io.togetheragent.bench;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.retry.BlockingRetry;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.SettingsLoader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * What the agent's core costs per request, in this JVM and without HTTP, so that nothing but the agent's own work
 * is timed: a Together request (the call begins, its body is read for its model and so its lane, it takes the
 * lane's turn, its 200 answer's limit headers are read, it ends) and a request to another host (the host check that
 * lets it pass untouched), from one thread; then Together requests from four threads on one lane, with the pace and
 * without. Prints CPU time and bytes allocated per request, the median of rounds after warm-up rounds.
 *
 * <p>Usage: {@code ./bench-core.sh [rounds]}: it builds the agent and runs this class against the packaged jar. A
 * main class among the agent's test sources, so that it compiles against the core; no test runs it.
 */
public final class CoreBench {
    private static final int PER_ROUND = 200_000;
    /** As many as the clients' benchmark sends from. */
    private static final int THREADS = 4;
    private static final String KEY = "Bearer tgp_v1_" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    /** A small chat completion's body, as the adapters hand it over: its model names the call's lane. */
    private static final byte[] BODY = ("{\"model\":\"meta-llama/Llama-3.3-70B-Instruct-Turbo\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in one word.\"}],\"max_tokens\":16}")
            .getBytes(StandardCharsets.UTF_8);

    /** A 200 with Together's limit headers, far from its limits, so no call waits. */
    private static final Map<String, String> ANSWER = new HashMap<>();

    static {
        ANSWER.put("x-ratelimit-limit", "1000000000");
        ANSWER.put("x-ratelimit-remaining", "999999999");
        ANSWER.put("x-ratelimit-reset", "1");
        ANSWER.put("x-tokenlimit-limit", "1000000000");
        ANSWER.put("x-tokenlimit-remaining", "999999999");
    }

    private static final BlockingRetry.Call<Map<String, String>> CALL = new BlockingRetry.Call<Map<String, String>>() {
        @Override
        public Map<String, String> send() {
            return ANSWER;
        }

        @Override
        public int status(Map<String, String> response) {
            return 200;
        }

        @Override
        public HeaderLookup headers(Map<String, String> response) {
            return response::get;
        }

        @Override
        public void discard(Map<String, String> response) {}

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void reset() {}
    };

    private CoreBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        RetryPolicy policy = policy("");
        RetryPolicy.install(policy);
        boolean[] sink = new boolean[1];
        Runnable other = () -> sink[0] ^= policy.steers("api.openai.com", 443);
        System.out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime()
                .availableProcessors() + " cores; " + PER_ROUND + " requests per round, " + rounds
                + " rounds after as many warm-up rounds; medians");
        System.out.println();
        System.out.println("| request | CPU ns per request | bytes allocated per request |");
        System.out.println("|---|---|---|");
        print("to a Together host (begin, the body's model, turn, a 200's limit headers, end)",
                measure(together(policy), rounds, 1));
        print("to another host (the host check)", measure(other, rounds, 1));
        // The clients' benchmark sends from four threads on one lane: what they share costs more than one thread
        // shows, and most of it is the pace's (its lock, taken to book the turn and to learn from the answer).
        print("to a Together host, " + THREADS + " threads on one lane", measure(together(policy), rounds, THREADS));
        print("to a Together host, " + THREADS + " threads on one lane, throttle=off (no pace)",
                measure(together(policy(",throttle=off")), rounds, THREADS));
    }

    private static RetryPolicy policy(String moreSettings) {
        return new RetryPolicy(SettingsLoader.load("log-level=off,summary-interval=0" + moreSettings,
                Collections.emptyMap(), Collections.emptyMap()).settings);
    }

    private static Runnable together(RetryPolicy policy) {
        return () -> {
            try {
                CallRetry retry = policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null,
                        Long.MAX_VALUE, KEY, false).identify(name -> null, () -> BODY);
                BlockingRetry.run(retry, CALL, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void print(String label, long[] nanosAndBytes) {
        System.out.printf("| %s | %d | %d |%n", label, nanosAndBytes[0], nanosAndBytes[1]);
    }

    /**
     * @return the median CPU nanoseconds and bytes allocated per request, all threads' together, each thread
     *     sending its share of a round's requests
     */
    private static long[] measure(Runnable request, int rounds, int threads) throws InterruptedException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] nanos = new long[rounds];
        long[] bytes = new long[rounds];
        for (int round = -rounds; round < rounds; round++) {
            long[][] used = new long[threads][2];
            CyclicBarrier start = new CyclicBarrier(threads);
            Thread[] senders = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                long[] own = used[t];
                senders[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException | BrokenBarrierException e) {
                        throw new IllegalStateException(e);
                    }
                    long id = Thread.currentThread().getId();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long bytes0 = mx.getThreadAllocatedBytes(id);
                    for (int i = 0; i < PER_ROUND / threads; i++) {
                        request.run();
                    }
                    own[0] = mx.getCurrentThreadCpuTime() - cpu0;
                    own[1] = mx.getThreadAllocatedBytes(id) - bytes0;
                });
                senders[t].start();
            }
            for (Thread sender : senders) {
                sender.join();
            }
            if (round >= 0) {
                for (long[] own : used) {
                    nanos[round] += own[0] / PER_ROUND;
                    bytes[round] += own[1] / PER_ROUND;
                }
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        return new long[] {nanos[rounds / 2], bytes[rounds / 2]};
    }
}
