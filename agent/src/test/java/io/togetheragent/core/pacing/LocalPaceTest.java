package io.togetheragent.core.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.retry.RetryAfter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacing rules of one lane, in virtual time. */
class LocalPaceTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long FOREVER = Long.MAX_VALUE;

    @Test
    void trafficTheServerNeverLimitsIsNeverHeldBack() {
        LocalPace pace = new LocalPace(new Random(1));
        for (long t = 0; t < 1000; t++) {
            assertEquals(t, pace.book(t, t, 500));
            answer(pace, 200, name -> null, t, t, 500);
        }
        assertEquals(0, pace.state(0).requestPace);
        assertEquals(0, pace.state(0).tokenPace);
    }

    /** The pace after the server shows its limit, a 429, and a while of allowed requests. */
    @Test
    void cutsOnA429AndGrowsBackWhileAllowed() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, requests(10, 4, 0.1), 0, 0, 0);
        assertEquals(Schedule.HEADROOM * 10, pace.state(0).requestPace, 1e-9);
        answer(pace, 429, requests(10, 0, 0.5), S / 2, S, 0);
        assertEquals(Schedule.HEADROOM * 10 * Schedule.CUT, pace.state(0).requestPace, 1e-9);
        assertTrue(pace.book(S, FOREVER, 0) >= S + S / 2, "a send waits for the reset");
        long after = S + S / 2 + LocalPace.MAX_JITTER_NANOS;
        assertTrue(pace.book(after, FOREVER, 0) <= after + (long) (S / 6.9), "and goes after it, in its place");
        answer(pace, 429, requests(10, 0, 0.5), S / 2, S + 1, 0);
        assertEquals(Schedule.HEADROOM * 10 * Schedule.CUT, pace.state(0).requestPace, 1e-9, "one cut per pace");
        answer(pace, 200, requests(10, 3, 0.2), 2 * S, 2 * S, 0);
        answer(pace, 200, requests(10, 3, 0.2), 30 * S, 30 * S, 0);
        assertEquals(Schedule.HEADROOM * 10, pace.state(0).requestPace, 1e-9,
                "back to just under the limit, never above");
    }

    /** Regression: the first booking once the server showed its burst overflowed into the far future. */
    @Test
    void theFirstPacedSendGoesAtOnce() {
        LocalPace pace = new LocalPace(new Random(1));
        long now = TimeUnit.HOURS.toNanos(5);
        answer(pace, 200, requests(10, 4, 0.1), now, now, 0);
        assertEquals(now, pace.book(now, now, 0));
        assertEquals(now, pace.book(now, now, 0), "the burst the server showed");
    }

    /** Issue 14: places go in the order asked, one interval apart; one that would come too late is not booked. */
    @Test
    void sendsGetTheirPlacesInTheOrderTheyAsk() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, requests(10, 0, 0.1), 0, 0, 0);
        long interval = (long) (S / (Schedule.HEADROOM * 10));
        long previous = -1;
        for (int i = 0; i < 5; i++) {
            long at = pace.book(0, FOREVER, 0);
            assertTrue(at > previous, "place " + i + " after the one before");
            previous = at;
        }
        assertTrue(previous >= 4 * interval - 1, "one interval apart");
        assertEquals(Pace.NO_TURN, pace.book(0, interval, 0), "would come after what the send may wait");
        assertTrue(pace.book(0, FOREVER, 0) <= previous + interval + 1, "nothing was booked for it");
    }

    /** Regression (issue 13): a success after a long cool-down began shows the server takes requests again. */
    @Test
    void aSuccessSentDuringACoolDownEndsIt() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 429, name -> name.equals("retry-after") ? "3600" : null, 0, S, 0);
        assertTrue(pace.closedUntil(2 * S) >= 3600 * S, "cooling down");
        answer(pace, 200, name -> null, S / 2, 2 * S, 0);
        assertTrue(pace.closedUntil(2 * S) >= 3600 * S, "a request sent before the 429 tells nothing new");
        answer(pace, 200, name -> null, 3 * S, 4 * S, 0);
        assertEquals(4 * S, pace.book(4 * S, 4 * S, 0), "a request sent during the cool-down succeeded");
        answer(pace, 429, name -> name.equals("retry-after") ? "5" : null, 4 * S, 5 * S, 0);
        assertTrue(pace.book(5 * S, FOREVER, 0) >= 10 * S, "a later 429 cools down again");
    }

    /** Issue 14: sends are spaced by what they cost, under the token limit the server shows. */
    @Test
    void pacesTokensByWhatEachSendCosts() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, tokens(20, 19, 4000, 3000), 0, 0, 1000);
        assertEquals(Schedule.HEADROOM * 4000, pace.state(0).tokenPace, 1e-9);
        long first = pace.book(0, FOREVER, 1000);
        for (int i = 0; i < 3; i++) {
            pace.book(0, FOREVER, 1000);
        }
        long fifth = pace.book(0, FOREVER, 1000);
        assertEquals(0, first, "within the burst the server showed");
        assertTrue(fifth >= (long) (S * 1000 / (Schedule.HEADROOM * 4000)) - 1, "the fifth waits for tokens");
    }

    /** Issue 14: a token 429 cuts the token pace only, and answers with many requests left do not undo it. */
    @Test
    void aTokenLimitedRefusalCutsOnlyTheTokenPace() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, tokens(20, 19, 4000, 3000), 0, 0, 1000);
        answer(pace, 429, tokens(20, 18, 4000, 100), S / 10, S / 5, 1000, Limit.TOKENS);
        assertEquals(Schedule.HEADROOM * 20, pace.state(0).requestPace, 1e-9);
        assertEquals(Schedule.HEADROOM * 4000 * Schedule.CUT, pace.state(0).tokenPace, 1e-9);
        for (long t = S; t < 3 * S; t += S / 10) {
            answer(pace, 200, tokens(20, 19, 4000, 500), t, t, 1000);
        }
        assertTrue(pace.state(0).tokenPace < Schedule.HEADROOM * 4000 * Schedule.CUT * 1.1,
                "grown only slowly, by the tokens' own room: " + pace.state(0).tokenPace);
    }

    /** Issue 14: a 503 says the model is out of capacity, not that the pace is too fast: it cuts nothing. */
    @Test
    void aServiceUnavailableNeverCutsThePace() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, tokens(20, 19, 4000, 3000), 0, 0, 1000);
        for (long t = 1; t < 10; t++) {
            answer(pace, 503, tokens(20, 19, 4000, 3000), t, t, 1000);
        }
        assertEquals(Schedule.HEADROOM * 20, pace.state(0).requestPace, 1e-9);
        assertEquals(Schedule.HEADROOM * 4000, pace.state(0).tokenPace, 1e-9);
        assertEquals(20, pace.book(20, 20, 1000), "nor closes the lane");
    }

    /** Issue 14: the estimate of a send's cost is corrected by what the server says is left. */
    @Test
    void whatTheServerSaysIsLeftCorrectsTheEstimate() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, tokens(20, 19, 4000, 3000), 0, 0, 100);
        answer(pace, 200, tokens(20, 18, 4000, 0), 1, 1, 100);
        long at = pace.book(2, FOREVER, 100);
        assertTrue(at >= (long) (S * 100 / (Schedule.HEADROOM * 4000)),
                "the server showed no token left: the next send waits for the refill, " + at);
    }

    /**
     * Issue 18: where the server shows plenty left, sends and answers pass without the lane's lock (four threads on
     * one lane spent more CPU waiting for it than in it): here they pass while another thread holds it.
     */
    @Test
    void aLaneFarFromItsLimitsLetsSendsAndPlainAnswersPassWithoutItsLock() throws Exception {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, requests(1000, 999, 1), 0, 0, 0);
        assertEquals(0, pace.book(0, FOREVER, 0), "the booking that lends");
        synchronized (pace) {
            assertEquals(List.of(1L), onThreads(1, () -> pace.book(1, FOREVER, 0)), "a lent send");
            onThreads(1, () -> {
                answer(pace, 200, requests(1000, 990, 1), 1, 2, 0);
                return null;
            });
        }
    }

    /** Issue 18: lent sends are booked ahead, never beyond what the server said is left. */
    @Test
    void lentSendsNeverLetMoreGoAtOnceThanTheServerShowsLeft() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, requests(100, 99, 1), 0, 0, 0);
        assertEquals(99, sendsAtOnce(pace, 0));
    }

    /** Issue 18: threads taking lent sends and booking under the lock at once never let more go than is left. */
    @Test
    void lentSendsAreCountedAcrossThreads() throws Exception {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, requests(1000, 999, 1), 0, 0, 0);
        List<Integer> counts = onThreads(4, () -> {
            int n = 0;
            for (int i = 0; i < 500; i++) {
                n += pace.book(0, FOREVER, 0) == 0 ? 1 : 0;
            }
            return n;
        });
        assertEquals(999, counts.stream().mapToInt(Integer::intValue).sum());
    }

    /** Issue 18: an answer showing more than a sixteenth of the burst used ends the lease and is counted. */
    @Test
    void anAnswerShowingMuchUsedEndsTheLeaseAndCounts() {
        LocalPace pace = lending();
        answer(pace, 200, requests(100, 50, 1), 0, 1, 0);
        // Sends lent and not sent are taken back: just what the server said is left goes at once.
        assertEquals(50, sendsAtOnce(pace, 1));
    }

    /** Issue 18: an answer the lease cannot take ends it, and the sends it booked ahead that did not go are free. */
    @Test
    void anEndedLeaseGivesBackWhatItDidNotSend() {
        LocalPace pace = lending();
        answer(pace, 503, name -> null, 0, 0, 0);
        assertEquals(98, sendsAtOnce(pace, 0), "all that was left but the one sent");
    }

    /** Issue 18: a 429 ends the lease: no lent send passes the cool-down. */
    @Test
    void aRefusalEndsTheLease() {
        LocalPace pace = lending();
        answer(pace, 429, requests(100, 0, 1), 0, 1, 0);
        assertTrue(pace.book(1, FOREVER, 0) >= S, "waits for the reset");
    }

    /** A lane shown 100 requests a second, 99 left, after the booking that lends. */
    private static LocalPace lending() {
        LocalPace pace = new LocalPace(new Random(1));
        answer(pace, 200, requests(100, 99, 1), 0, 0, 0);
        assertEquals(0, pace.book(0, FOREVER, 0), "the booking that lends");
        return pace;
    }

    /** The task's results on that many threads at once, each given 10 s at most (the test fails after). */
    private static <T> List<T> onThreads(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> result : running) {
                results.add(result.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many sends booked at {@code now}, one after another, may go at once. */
    private static int sendsAtOnce(LocalPace pace, long now) {
        int n = 0;
        while (pace.book(now, FOREVER, 0) == now) {
            n++;
        }
        return n;
    }

    private static void answer(LocalPace pace, int status, HeaderLookup headers, long sentAt, long now, long cost) {
        answer(pace, status, headers, sentAt, now, cost, Limit.UNKNOWN);
    }

    /** As CallRetry tells the lane of a response. */
    private static void answer(LocalPace pace, int status, HeaderLookup headers, long sentAt, long now, long cost,
                               Limit limit) {
        RetryAfter hint = RetryAfter.from(headers, System.currentTimeMillis());
        LimitHeaders limits = LimitHeaders.from(headers);
        pace.answered(status, status == 429 && limit == Limit.UNKNOWN ? Limit.of429(null, limits, cost) : limit,
                limits, hint == null ? -1 : TimeUnit.MILLISECONDS.toNanos(hint.millis), sentAt, now, cost);
    }

    static HeaderLookup requests(double limit, double remaining, double reset) {
        Map<String, String> h = new HashMap<>();
        h.put("x-ratelimit-limit", String.valueOf(limit));
        h.put("x-ratelimit-remaining", String.valueOf((int) remaining));
        h.put("x-ratelimit-reset", String.valueOf(reset));
        return h::get;
    }

    static HeaderLookup tokens(double limit, double remaining, double tokenLimit, double tokensLeft) {
        Map<String, String> h = new HashMap<>();
        h.put("x-ratelimit-limit", String.valueOf(limit));
        h.put("x-ratelimit-remaining", String.valueOf((int) remaining));
        h.put("x-tokenlimit-limit", String.valueOf(tokenLimit));
        h.put("x-tokenlimit-remaining", String.valueOf((int) tokensLeft));
        return h::get;
    }
}
