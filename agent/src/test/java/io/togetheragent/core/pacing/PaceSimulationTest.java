package io.togetheragent.core.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pacing in virtual time, against a server shaped like Together (and the test-app's stand-in): per model, a token
 * bucket of requests and optionally one of tokens, answering with {@code x-ratelimit-*} and {@code x-tokenlimit-*}
 * headers. Threads of one or more JVMs send each model's calls, each booking its turn in its lane as CallRetry does
 * and retrying its 429s after the server's hint. No clock is involved: the same seed gives the same run.
 */
class PaceSimulationTest {
    /** One way, plus up to {@link #JITTER} more: a busy two-core machine running several JVMs. */
    private static final long LATENCY = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long JITTER = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_WAIT = TimeUnit.SECONDS.toNanos(60);

    @Test
    void oneJvmStaysJustUnderTheLimit() {
        Model m = new Model(10, 5, 200, 16);
        simulate(1, true, 1, m);
        assertEquals(200, m.succeeded);
        assertTrue(m.rateLimited <= 0.1 * 200, m.toString());
        assertTrue(m.makespan() <= 1.10 * m.ideal(), m.toString());
    }

    /**
     * Each JVM on its own finds its share (issue 17 shares the lane): over these seeds 1.08 to 1.44 × the ideal
     * (1.20 on average) with sends booked in order (issue 14); 1.2 at most before, when waiting sends raced for
     * each free place. The rate benchmark's fleet row measures 1.05 to 1.11 on the stand-in, as before.
     */
    @Test
    void aFleetSharingOneKeyFindsItsShare() {
        double sum = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Model m = new Model(10, 5, 200, 4);
            simulate(4, true, seed, m);
            assertEquals(200, m.succeeded);
            assertTrue(m.rateLimited <= 0.3 * 200, m.toString());
            assertTrue(m.makespan() <= 1.5 * m.ideal(), m.toString());
            sum += m.makespan() / m.ideal();
        }
        assertTrue(sum / 5 <= 1.25, "on average " + sum / 5);
    }

    @Test
    void withoutPacingEveryCallMeetsTheLimit() {
        Model m = new Model(10, 5, 200, 16);
        simulate(1, false, 1, m);
        assertTrue(m.rateLimited >= 0.5 * 200, m.toString());
    }

    /** Issue 14: a slow model's limit never holds back a fast one's calls. */
    @Test
    void twoModelsOfOneKeyEachGoAtTheirOwnPace() {
        for (long seed = 1; seed <= 3; seed++) {
            Model alone = new Model(20, 5, 200, 8);
            simulate(1, true, seed, alone);
            Model a = new Model(2, 2, 60, 8);
            Model b = new Model(20, 5, 200, 8);
            simulate(1, true, seed, a, b);
            assertEquals(60, a.succeeded);
            assertEquals(200, b.succeeded);
            // A's burst of 2: each answer that used the last request closes A's lane to the full reset, 1 s here
            // (1.16 to 1.21 x over these seeds; the rate benchmark measures 1.05 on the stand-in).
            assertTrue(a.makespan() <= 1.25 * a.ideal(), a.toString());
            assertTrue(b.makespan() <= 1.15 * b.ideal(), b.toString());
            assertTrue(b.makespan() <= 1.05 * alone.makespan(), b + " vs alone " + alone);
        }
    }

    /**
     * Issue 14: bound by tokens (20 requests/s, but 4,000 tokens/s and 1,000 a request), the pace keeps to the
     * tokens; the first calls, sent before the server has shown any limit, are the only ones it refuses.
     */
    @Test
    void aTokenBoundModelKeepsToItsTokens() {
        for (long seed = 1; seed <= 3; seed++) {
            Model m = new Model(20, 20, 120, 16).tokens(4000, 4000, 1000, 1030);
            simulate(1, true, seed, m);
            assertEquals(120, m.succeeded);
            assertTrue(m.rateLimitedAfterFirstContact <= 0.05 * 120, m.toString());
            assertTrue(m.makespan() <= 1.10 * m.ideal(), m.toString());
        }
    }

    /** One model's server-side limits, its calls and threads, and what they met. */
    static final class Model {
        final double rate;
        final double burst;
        final int calls;
        final int threadsPerJvm;
        double tokenRate;
        double tokenBurst;
        long cost;
        long estimate;
        int succeeded;
        int rateLimited;
        int rateLimitedAfterFirstContact;
        long first = Long.MAX_VALUE;
        long last;
        double requests;
        double tokens;
        long refilled;
        int started;
        long firstAnswer = Long.MAX_VALUE;

        Model(double rate, double burst, int calls, int threadsPerJvm) {
            this.rate = rate;
            this.burst = burst;
            this.calls = calls;
            this.threadsPerJvm = threadsPerJvm;
            this.requests = burst;
        }

        Model tokens(double tokenRate, double tokenBurst, long cost, long estimate) {
            this.tokenRate = tokenRate;
            this.tokenBurst = tokenBurst;
            this.tokens = tokenBurst;
            this.cost = cost;
            this.estimate = estimate;
            return this;
        }

        /** First request to last, at the server, as the benchmark measures. */
        double makespan() {
            return (last - first) / 1e9;
        }

        /** What the tighter limit allows after its burst. */
        double ideal() {
            double byRequests = (calls - burst) / rate;
            double byTokens = tokenRate == 0 ? 0 : (calls - Math.floor(tokenBurst / cost)) / (tokenRate / cost);
            return Math.max(byRequests, byTokens);
        }

        /** The server takes the request if both buckets allow; returns the headers it answers with. */
        HeaderLookup serve(long now, boolean[] allowed) {
            double dt = (now - refilled) / 1e9;
            refilled = now;
            requests = Math.min(burst, requests + dt * rate);
            tokens = Math.min(tokenBurst, tokens + dt * tokenRate);
            allowed[0] = requests >= 1 && (tokenRate == 0 || tokens >= cost);
            if (allowed[0]) {
                requests -= 1;
                tokens -= cost;
            }
            Map<String, String> h = new HashMap<>();
            h.put("x-ratelimit-limit", String.valueOf(rate));
            h.put("x-ratelimit-remaining", String.valueOf((int) Math.floor(requests)));
            double reset = (burst - requests) / rate;
            if (tokenRate > 0) {
                h.put("x-tokenlimit-limit", String.valueOf(tokenRate));
                h.put("x-tokenlimit-remaining", String.valueOf((int) Math.floor(Math.max(0, tokens))));
                reset = Math.max(reset, (cost - Math.min(cost, tokens)) / tokenRate);
            }
            h.put("x-ratelimit-reset", String.valueOf(reset));
            return h::get;
        }

        @Override
        public String toString() {
            return succeeded + "/" + calls + " succeeded, " + rateLimited + " 429s (" + rateLimitedAfterFirstContact
                    + " after the first answer), makespan " + makespan() + " s (ideal " + ideal() + " s)";
        }
    }

    /** One sending thread's next step, in virtual time. */
    private static final class Step implements Comparable<Step> {
        final long at;
        final Sender sender;
        final boolean arrives;
        final int seq;

        Step(long at, Sender sender, boolean arrives, int seq) {
            this.at = at;
            this.sender = sender;
            this.arrives = arrives;
            this.seq = seq;
        }

        @Override
        public int compareTo(Step o) {
            return at != o.at ? Long.compare(at, o.at) : Integer.compare(seq, o.seq);
        }
    }

    /** A thread of one JVM sending one model's calls, and where its current call stands. */
    private static final class Sender {
        final Model model;
        final LocalPace pace;
        final int[] callsLeft;
        boolean busy;
        int retries;
        long turnStart;
        long booked = Pace.NO_TURN;
        long sentAt;

        Sender(Model model, LocalPace pace, int[] callsLeft) {
            this.model = model;
            this.pace = pace;
            this.callsLeft = callsLeft;
        }
    }

    static void simulate(int jvms, boolean paced, long seed, Model... models) {
        Random random = new Random(seed);
        PriorityQueue<Step> steps = new PriorityQueue<>();
        int seq = 0;
        for (int j = 0; j < jvms; j++) {
            for (Model m : models) {
                LocalPace pace = new LocalPace(new Random(seed * 31 + j));
                int[] callsLeft = {m.calls / jvms};
                for (int t = 0; t < m.threadsPerJvm; t++) {
                    steps.add(new Step(random.nextInt(1_000_000), new Sender(m, pace, callsLeft), false, seq++));
                }
            }
        }
        boolean[] allowed = new boolean[1];
        while (!steps.isEmpty()) {
            Step step = steps.poll();
            Sender s = step.sender;
            Model m = s.model;
            long now = step.at;
            if (!step.arrives) {
                if (!s.busy) {
                    if (s.callsLeft[0] == 0) {
                        continue;
                    }
                    s.callsLeft[0]--;
                    s.busy = true;
                    s.retries = 0;
                    s.turnStart = now;
                    s.booked = Pace.NO_TURN;
                }
                // As CallRetry: book a place, wait for it, and book again if a cool-down began meanwhile.
                if (paced) {
                    long closed = s.pace.closedUntil(now);
                    if (s.booked == Pace.NO_TURN || closed > s.booked && closed > now) {
                        s.booked = s.pace.book(now, s.turnStart + MAX_WAIT, m.estimate);
                        if (s.booked != Pace.NO_TURN && s.booked > now) {
                            steps.add(new Step(s.booked, s, false, seq++));
                            continue;
                        }
                    }
                }
                s.sentAt = now;
                steps.add(new Step(now + LATENCY + (long) (random.nextDouble() * JITTER), s, true, seq++));
                continue;
            }
            m.first = Math.min(m.first, now);
            m.last = Math.max(m.last, now);
            HeaderLookup answer = m.serve(now, allowed);
            long answeredAt = now + LATENCY + (long) (random.nextDouble() * JITTER);
            LimitHeaders limits = LimitHeaders.from(answer);
            if (paced) {
                Limit limit = allowed[0] ? null : Limit.of429(null, limits, m.estimate);
                s.pace.answered(allowed[0] ? 200 : 429, limit, limits, limits.resetNanos, s.sentAt, answeredAt,
                        m.estimate);
            }
            if (allowed[0]) {
                m.succeeded++;
                m.firstAnswer = Math.min(m.firstAnswer, answeredAt);
                s.busy = false;
                steps.add(new Step(answeredAt, s, false, seq++));
            } else {
                m.rateLimited++;
                if (s.sentAt > m.firstAnswer) {
                    m.rateLimitedAfterFirstContact++;
                }
                m.firstAnswer = Math.min(m.firstAnswer, answeredAt);
                int retry = ++s.retries;
                long hint = (long) (limits.resetNanos * (1 + 0.2 * random.nextDouble()));
                // As CallRetry: the server's hint with throttle=adaptive; the larger of hint and back-off without.
                long backoff = paced ? 0
                        : (long) (random.nextDouble() * Math.min(20e9, 0.5e9 * Math.pow(2, retry - 1)));
                s.turnStart = answeredAt + Math.max(hint, backoff);
                s.booked = Pace.NO_TURN;
                if (retry > 8) {
                    s.busy = false;
                }
                steps.add(new Step(s.turnStart, s, false, seq++));
            }
        }
    }
}
