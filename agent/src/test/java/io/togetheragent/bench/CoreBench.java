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
 * without; then both kinds again, each after the caches were filled with other data, as a client's own work fills
 * them between two calls. Prints CPU time and bytes allocated per request, the median of rounds after warm-up rounds.
 *
 * <p>Usage: {@code ./bench-core.sh [rounds]}: it builds the agent and runs this class against the packaged jar. A
 * main class among the agent's test sources, so that it compiles against the core; no test runs it.
 */
public final class CoreBench {
    private static final int PER_ROUND = 200_000;
    /** More than the 1 MiB second-level cache of this machine's cores, and of most server cores. */
    private static final int EVICTED_BYTES = 2 << 20;
    /** Fewer per round where each request follows the eviction's some 25 us. */
    private static final int COLD_PER_ROUND = 10_000;
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
        // A client's call does some 100 us of its own work between two of the agent's, enough to push the agent's
        // data out of the core's caches: the rows above, hot in cache, show a fraction of what a call pays.
        print("to a Together host, its data out of the caches (" + (EVICTED_BYTES >> 20)
                + " MiB written before each request)", measureCold(together(policy), rounds));
        print("to another host, its data out of the caches", measureCold(other, rounds));
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

    /** @param nanosAndBytes the median nanoseconds and bytes, then the nanoseconds' quartiles where known */
    private static void print(String label, long[] nanosAndBytes) {
        String quartiles = nanosAndBytes.length < 4 ? ""
                : String.format(" [%d, %d]", nanosAndBytes[2], nanosAndBytes[3]);
        System.out.printf("| %s | %d%s | %d |%n", label, nanosAndBytes[0], quartiles, nanosAndBytes[1]);
    }

    /**
     * @return the median CPU nanoseconds and bytes allocated per request, all threads' together, each thread
     *     sending its share of a round's requests
     */
    private static long[] measure(Runnable request, int rounds, int threads) throws InterruptedException {
        return measure(request, rounds, threads, PER_ROUND);
    }

    /**
     * What a request costs after the caches have been filled with other data: the median, over four times as many
     * rounds, of a round of eviction-then-request less the mean of a round of eviction alone on either side of it
     * (the eviction's own cost drifts with the machine's load more than the request costs), with its quartiles.
     */
    private static long[] measureCold(Runnable request, int rounds) throws InterruptedException {
        long[] scratch = new long[EVICTED_BYTES / Long.BYTES];
        Runnable evict = () -> {
            // One write per 64-byte line: each line of the scratch is then this core's, and not the agent's.
            for (int i = 0; i < scratch.length; i += 8) {
                scratch[i]++;
            }
        };
        Runnable evictThenRequest = () -> {
            evict.run();
            request.run();
        };
        int pairs = 4 * rounds;
        long[] nanos = new long[pairs];
        long[] bytes = new long[pairs];
        for (int pair = -rounds; pair < pairs; pair++) {
            // Each one round after a warm-up round of its own kind: timed straight after a round of the other kind,
            // the quartiles of these rows came out three to five times as far apart (tried; the cause not found).
            long[] before = measure(evict, 1, 1, COLD_PER_ROUND);
            long[] both = measure(evictThenRequest, 1, 1, COLD_PER_ROUND);
            long[] after = measure(evict, 1, 1, COLD_PER_ROUND);
            if (pair >= 0) {
                nanos[pair] = both[0] - (before[0] + after[0]) / 2;
                bytes[pair] = both[1] - (before[1] + after[1]) / 2;
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        return new long[] {nanos[pairs / 2], bytes[pairs / 2], nanos[pairs / 4], nanos[3 * pairs / 4]};
    }

    private static long[] measure(Runnable request, int rounds, int threads, int perRound)
            throws InterruptedException {
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
                    for (int i = 0; i < perRound / threads; i++) {
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
                    nanos[round] += own[0] / perRound;
                    bytes[round] += own[1] / perRound;
                }
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        return new long[] {nanos[rounds / 2], bytes[rounds / 2]};
    }
}
