package io.togetheragent.bench;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.pacing.LimitHeaders;
import io.togetheragent.core.pacing.RequestEstimate;
import io.togetheragent.core.retry.BlockingRetry;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.SettingsLoader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * What the agent's core costs per request, in this JVM and without HTTP, so that nothing but the agent's own work
 * is timed: a Together request (the call begins, its body is read for its model and so its lane, it takes the
 * lane's turn, its 200 answer's limit headers are read, it ends) and a request to another host (the host check that
 * lets it pass untouched), from one thread; then Together requests from four threads on one lane, with the pace and
 * without; then both kinds again, each after the caches were filled with other data, as a client's own work fills
 * them between two calls, and which part of a Together request pays for that. Prints CPU time (wall time where the
 * caches were filled) and bytes allocated per request, the median of rounds after warm-up rounds.
 *
 * <p>Usage: {@code ./bench-core.sh [rounds]}: it builds the agent and runs this class against the packaged jar. A
 * main class among the agent's test sources, so that it compiles against the core; no test runs it.
 */
public final class CoreBench {
    private static final int PER_ROUND = 200_000;
    /** More than the 1 MiB second-level cache of this machine's cores, and of most server cores. */
    private static final int EVICTED_BYTES = 2 << 20;
    /** Fewer per round where each request follows the eviction's some 40 us. */
    private static final int COLD_PER_ROUND = 2_000;
    /** As many as the clients' benchmark sends from. */
    private static final int THREADS = 4;
    private static final String KEY = "Bearer tgp_v1_" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    /** A small chat completion's body, as the adapters hand it over: its model names the call's lane. */
    private static final byte[] BODY = ("{\"model\":\"meta-llama/Llama-3.3-70B-Instruct-Turbo\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in one word.\"}],\"max_tokens\":16}")
            .getBytes(StandardCharsets.UTF_8);

    /** The request's headers as a client holds them: a list, looked up in by name, whatever its case. */
    private static final String[][] REQUEST_HEADERS = {
        {"Content-Type", "application/json"}, {"Accept", "application/json"}, {"Authorization", KEY},
        {"User-Agent", "Apache-HttpClient/4.5.14 (Java/17.0.15)"}, {"Content-Length", Integer.toString(BODY.length)},
        {"Host", "api.together.xyz"}, {"Connection", "Keep-Alive"}, {"Accept-Encoding", "gzip,deflate"},
    };

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
        System.out.println();
        System.out.println("| request, after " + (EVICTED_BYTES >> 20) + " MiB of other data were written"
                + " | ns per request [quartiles] | bytes allocated per request |");
        System.out.println("|---|---|---|");
        print("to a Together host", cold(together(policy), rounds));
        print("to another host", cold(other, rounds));
        // Which part of the request pays for the misses: each part's code and data fetched again just before it.
        System.out.println();
        System.out.println("| a Together request, after the same, and then | ns per request [quartiles] | less |");
        System.out.println("|---|---|---|");
        Map<String, Runnable> parts = new LinkedHashMap<>();
        parts.put("nothing", () -> { });
        parts.put("the host check", () -> sink[0] ^= policy.steers("api.together.xyz", 443));
        Metrics counters = Metrics.forHost("api.together.xyz");
        parts.put("the counters", () -> sink[0] ^= counters.requestCount() > 0);
        parts.put("the key check", () -> policy.keys().beforeSend(KEY, false, counters));
        parts.put("the body's bytes", () -> sink[0] ^= Arrays.hashCode(BODY) > 0);
        parts.put("the body's model", () -> sink[0] ^= RequestEstimate.of(BODY).tokens > 0);
        parts.put("the answer's headers", () -> ANSWER.forEach((name, value) -> sink[0] ^= value.length() > 0));
        parts.put("the answer's limit headers", () -> sink[0] ^= LimitHeaders.from(ANSWER::get) != null);
        parts.put("a whole request", together(policy));
        Map<String, long[]> cold = coldParts(together(policy), parts, rounds);
        long none = cold.get("nothing")[0];
        cold.forEach((part, nanos) -> System.out.printf("| %s | %d [%d, %d] | %d |%n", part, nanos[0], nanos[2],
                nanos[3], none - nanos[0]));
    }

    private static RetryPolicy policy(String moreSettings) {
        return new RetryPolicy(SettingsLoader.load("log-level=off,summary-interval=0" + moreSettings,
                Collections.emptyMap(), Collections.emptyMap()).settings);
    }

    private static Runnable together(RetryPolicy policy) {
        return () -> {
            try {
                CallRetry retry = policy.begin("POST", "api.together.xyz", 443, "/v1/chat/completions", null,
                        Long.MAX_VALUE, KEY, false).identify(CoreBench::requestHeader, () -> BODY);
                BlockingRetry.run(retry, CALL, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static String requestHeader(String name) {
        for (String[] header : REQUEST_HEADERS) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
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

    /** What a request costs after the caches were filled with other data: as {@link #coldParts}, fetching nothing. */
    private static long[] cold(Runnable request, int rounds) {
        return coldParts(request, Collections.singletonMap("nothing", () -> { }), rounds).get("nothing");
    }

    /**
     * What a request costs after the caches were filled with other data, and then one part of what it uses fetched
     * again, for each part: each request timed on its own by the clock, less what the clock takes to read itself
     * after an eviction alike, the parts taking turns in each round so that the machine's load drifts alike for all
     * (rows timed one after the other moved by a third between two runs minutes apart). Wall time: a request
     * preempted now and then moves the median of 80,000 by nothing.
     *
     * @return for each part, the median nanoseconds and bytes allocated per request (fetching included), then the
     *     nanoseconds' quartiles
     */
    private static Map<String, long[]> coldParts(Runnable request, Map<String, Runnable> parts, int rounds) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long[] scratch = new long[EVICTED_BYTES / Long.BYTES];
        int timed = 4 * rounds * COLD_PER_ROUND;
        long[] clock = new long[timed];
        Map<String, long[]> nanos = new LinkedHashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        parts.keySet().forEach(part -> nanos.put(part, new long[timed]));
        for (int round = -rounds; round < 4 * rounds; round++) {
            for (Map.Entry<String, Runnable> part : parts.entrySet()) {
                Runnable fetch = part.getValue();
                long[] times = nanos.get(part.getKey());
                long bytes0 = mx.getThreadAllocatedBytes(id);
                for (int i = 0; i < COLD_PER_ROUND; i++) {
                    evict(scratch);
                    fetch.run();
                    long t0 = System.nanoTime();
                    request.run();
                    long t1 = System.nanoTime();
                    if (round >= 0) {
                        times[round * COLD_PER_ROUND + i] = t1 - t0;
                    }
                }
                if (round >= 0) {
                    bytes.merge(part.getKey(), mx.getThreadAllocatedBytes(id) - bytes0, Long::sum);
                }
            }
            for (int i = 0; i < COLD_PER_ROUND; i++) {
                evict(scratch);
                long t0 = System.nanoTime();
                long t1 = System.nanoTime();
                if (round >= 0) {
                    clock[round * COLD_PER_ROUND + i] = t1 - t0;
                }
            }
        }
        Arrays.sort(clock);
        long zero = clock[timed / 2];
        Map<String, long[]> rows = new LinkedHashMap<>();
        nanos.forEach((part, times) -> {
            Arrays.sort(times);
            rows.put(part, new long[] {times[timed / 2] - zero, bytes.get(part) / timed, times[timed / 4] - zero,
                times[3 * timed / 4] - zero});
        });
        return rows;
    }

    /** One write per 64-byte line: each line of the scratch is then this core's, and not the agent's. */
    private static void evict(long[] scratch) {
        for (int i = 0; i < scratch.length; i += 8) {
            scratch[i]++;
        }
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
