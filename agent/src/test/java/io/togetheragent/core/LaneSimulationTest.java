package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lane's pacing in virtual time, against a server shaped like Together (and the test-app's stand-in): a token
 * bucket of 10 requests/s, burst 5, answering with {@code x-ratelimit-*} headers. Threads of one or more JVMs send
 * 200 calls in all, each retrying its 429s after the server's hint, as the agent does. No clock is involved: the
 * same seed gives the same run.
 */
class LaneSimulationTest {
    private static final double RATE = 10;
    private static final int BURST = 5;
    private static final int CALLS = 200;
    private static final double IDEAL_SECONDS = (CALLS - BURST) / RATE;
    /** One way, plus up to {@link #JITTER} more: a busy two-core machine running several JVMs. */
    private static final long LATENCY = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long JITTER = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void oneJvmStaysJustUnderTheLimit() {
        Result r = simulate(1, 16, true, 1);
        assertEquals(CALLS, r.succeeded);
        assertTrue(r.rateLimited <= 0.1 * CALLS, r.toString());
        assertTrue(r.makespanSeconds <= 1.10 * IDEAL_SECONDS, r.toString());
    }

    @Test
    void aFleetSharingOneKeyFindsItsShare() {
        for (long seed = 1; seed <= 5; seed++) {
            Result r = simulate(4, 4, true, seed);
            assertEquals(CALLS, r.succeeded);
            assertTrue(r.rateLimited <= 0.3 * CALLS, r.toString());
            assertTrue(r.makespanSeconds <= 1.2 * IDEAL_SECONDS, r.toString());
        }
    }

    @Test
    void withoutPacingEveryCallMeetsTheLimit() {
        Result r = simulate(1, 16, false, 1);
        assertTrue(r.rateLimited >= 0.5 * CALLS, r.toString());
    }

    @Test
    void trafficTheServerNeverLimitsIsNeverHeldBack() {
        Lane lane = new Lane(new Random(1));
        for (long t = 0; t < 1000; t++) {
            assertEquals(t, lane.sendAt(t));
            answer(lane, 200, name -> null, t, t);
        }
        assertEquals(0, lane.rate());
    }

    /** The lane's rate after the server shows its limit, a 429, and a while of allowed requests. */
    @Test
    void cutsOnA429AndGrowsBackWhileAllowed() {
        Lane lane = new Lane(new Random(1));
        long s = TimeUnit.SECONDS.toNanos(1);
        answer(lane, 200, headers(10, 4, 0.1), 0, 0);
        assertEquals(Lane.HEADROOM * 10, lane.rate(), 1e-9);
        answer(lane, 429, headers(10, 0, 0.5), s / 2, s);
        assertEquals(Lane.HEADROOM * 10 * Lane.CUT, lane.rate(), 1e-9);
        assertTrue(lane.sendAt(s) >= s + s / 2, "a send waits for the reset");
        assertTrue(lane.sendAt(s + s / 2 + Lane.MAX_JITTER_NANOS) == s + s / 2 + Lane.MAX_JITTER_NANOS,
                "and goes after it");
        answer(lane, 429, headers(10, 0, 0.5), s / 2, s + 1);
        assertEquals(Lane.HEADROOM * 10 * Lane.CUT, lane.rate(), 1e-9, "one cut per pace");
        answer(lane, 200, headers(10, 3, 0.2), 2 * s, 2 * s);
        answer(lane, 200, headers(10, 3, 0.2), 30 * s, 30 * s);
        assertEquals(Lane.HEADROOM * 10, lane.rate(), 1e-9, "back to just under the limit, never above");
    }

    /** Regression: the first booking once the server showed its burst overflowed into the far future. */
    @Test
    void theFirstPacedSendGoesAtOnce() {
        Lane lane = new Lane(new Random(1));
        long now = TimeUnit.HOURS.toNanos(5);
        answer(lane, 200, headers(10, 4, 0.1), now, now);
        assertEquals(now, lane.sendAt(now));
        assertEquals(now, lane.sendAt(now), "the burst the server showed");
    }

    /** Regression (issue 13): a success after a long cool-down began shows the server takes requests again. */
    @Test
    void aSuccessSentDuringACoolDownEndsIt() {
        Lane lane = new Lane(new Random(1));
        long s = TimeUnit.SECONDS.toNanos(1);
        answer(lane, 429, name -> name.equals("retry-after") ? "3600" : null, 0, s);
        assertTrue(lane.sendAt(2 * s) >= 3600 * s, "cooling down");
        answer(lane, 200, name -> null, s / 2, 2 * s);
        assertTrue(lane.sendAt(2 * s) >= 3600 * s, "a request sent before the 429 tells nothing new");
        answer(lane, 200, name -> null, 3 * s, 4 * s);
        assertEquals(4 * s, lane.sendAt(4 * s), "a request sent during the cool-down succeeded");
        answer(lane, 429, name -> name.equals("retry-after") ? "5" : null, 4 * s, 5 * s);
        assertTrue(lane.sendAt(5 * s) >= 10 * s, "a later 429 cools down again");
    }

    @Test
    void oneKeysLimitNeverSlowsAnother() {
        Traffic traffic = new Traffic(Settings.defaults());
        Lane a = traffic.lane("api.together.xyz", "Bearer a");
        answer(a, 429, headers(10, 0, 5), 0, 0);
        assertTrue(a.sendAt(0) >= TimeUnit.SECONDS.toNanos(5));
        assertEquals(0, traffic.lane("api.together.xyz", "Bearer b").sendAt(0));
        assertEquals(0, traffic.lane("api.together.ai", "Bearer a").sendAt(0));
    }

    /** As CallRetry tells the lane of a response. */
    private static void answer(Lane lane, int status, HeaderLookup headers, long sentAt, long now) {
        lane.answered(status, headers, hint(headers), sentAt, now);
    }

    private static RetryAfter hint(HeaderLookup headers) {
        return RetryAfter.from(headers, System.currentTimeMillis());
    }

    static HeaderLookup headers(double limit, double remaining, double reset) {
        Map<String, String> h = new HashMap<>();
        h.put("x-ratelimit-limit", String.valueOf(limit));
        h.put("x-ratelimit-remaining", String.valueOf((int) remaining));
        h.put("x-ratelimit-reset", String.valueOf(reset));
        return h::get;
    }

    static final class Result {
        int succeeded;
        int rateLimited;
        double makespanSeconds;

        @Override
        public String toString() {
            return succeeded + " succeeded, " + rateLimited + " 429s, makespan " + makespanSeconds + " s (ideal "
                    + IDEAL_SECONDS + " s)";
        }
    }

    /** One sending thread's next step, in virtual time. */
    private static final class Step implements Comparable<Step> {
        final long at;
        final int thread;
        final boolean arrives;
        final int seq;

        Step(long at, int thread, boolean arrives, int seq) {
            this.at = at;
            this.thread = thread;
            this.arrives = arrives;
            this.seq = seq;
        }

        @Override
        public int compareTo(Step o) {
            return at != o.at ? Long.compare(at, o.at) : Integer.compare(seq, o.seq);
        }
    }

    static Result simulate(int jvms, int threadsPerJvm, boolean paced, long seed) {
        Random random = new Random(seed);
        Lane[] lanes = new Lane[jvms];
        int[] callsLeft = new int[jvms];
        for (int j = 0; j < jvms; j++) {
            lanes[j] = new Lane(new Random(seed * 31 + j));
            callsLeft[j] = CALLS / jvms;
        }
        int threads = jvms * threadsPerJvm;
        int[] retries = new int[threads];
        boolean[] busy = new boolean[threads];
        long[] sentAt = new long[threads];
        PriorityQueue<Step> steps = new PriorityQueue<>();
        int seq = 0;
        for (int t = 0; t < threads; t++) {
            steps.add(new Step(random.nextInt(1_000_000), t, false, seq++));
        }
        double tokens = BURST;
        long refilled = 0;
        Result result = new Result();
        long last = 0;
        while (!steps.isEmpty()) {
            Step step = steps.poll();
            int jvm = step.thread / threadsPerJvm;
            Lane lane = lanes[jvm];
            long now = step.at;
            if (!step.arrives) {
                if (!busy[step.thread]) {
                    if (callsLeft[jvm] == 0) {
                        continue;
                    }
                    callsLeft[jvm]--;
                    busy[step.thread] = true;
                    retries[step.thread] = 0;
                }
                // As CallRetry: a send asks the lane, and when told a later time, asks again then.
                long at = paced ? lane.sendAt(now) : now;
                if (at > now) {
                    steps.add(new Step(at, step.thread, false, seq++));
                    continue;
                }
                sentAt[step.thread] = now;
                steps.add(new Step(now + LATENCY + (long) (random.nextDouble() * JITTER), step.thread, true,
                        seq++));
                continue;
            }
            tokens = Math.min(BURST, tokens + (now - refilled) / 1e9 * RATE);
            refilled = now;
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            HeaderLookup answer = headers(RATE, Math.floor(tokens), (BURST - tokens) / RATE);
            long answeredAt = now + LATENCY + (long) (random.nextDouble() * JITTER);
            if (paced) {
                lane.answered(allowed ? 200 : 429, answer, hint(answer), sentAt[step.thread], answeredAt);
            }
            if (allowed) {
                result.succeeded++;
                busy[step.thread] = false;
                last = Math.max(last, answeredAt);
                steps.add(new Step(answeredAt, step.thread, false, seq++));
            } else {
                result.rateLimited++;
                int retry = ++retries[step.thread];
                long hint = (long) ((BURST - tokens) / RATE * 1e9 * (1 + 0.2 * random.nextDouble()));
                // As CallRetry: the server's hint when it gives one, with throttle=adaptive; the larger of hint and
                // exponential back-off without.
                long backoff = paced ? 0
                        : (long) (random.nextDouble() * Math.min(20e9, 0.5e9 * Math.pow(2, retry - 1)));
                if (retry > 8) {
                    busy[step.thread] = false;
                    steps.add(new Step(answeredAt, step.thread, false, seq++));
                } else {
                    steps.add(new Step(answeredAt + Math.max(hint, backoff), step.thread, false, seq++));
                }
            }
        }
        result.makespanSeconds = last / 1e9;
        return result;
    }
}
