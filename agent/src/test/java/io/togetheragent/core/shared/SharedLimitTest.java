package io.togetheragent.core.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.pacing.LocalPace;
import io.togetheragent.core.pacing.Pace;
import io.togetheragent.it.RedisServer;
import java.net.ServerSocket;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared limit against a real Redis of the test's own (skipped, saying so, where none is installed). */
class SharedLimitTest {
    private static final SharedLimit.Shape TEN_A_SECOND = new SharedLimit.Shape(10, 1, 0, 0);
    private static final SharedLimit.Shape NOT_LEARNT = new SharedLimit.Shape(0, 0, 0, 0);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** A shared limit once it has connected (it connects in the background, bookings being local meanwhile). */
    private static SharedLimit limit(String url, long timeoutMillis) throws InterruptedException {
        return connected(new SharedLimit(RedisUrl.parse(url), timeoutMillis), "UP");
    }

    /** Waits (up to five seconds) until the shared limit's connection is in this state. */
    private static SharedLimit connected(SharedLimit limit, String state) throws InterruptedException {
        for (int i = 0; i < 100 && !limit.state().equals(state); i++) {
            Thread.sleep(50);
        }
        assertEquals(state, limit.state());
        return limit;
    }

    private static String newLane() {
        return SharedLimit.laneName("api.together.xyz\nBearer tgp_v1_" + UUID.randomUUID() + "\nmodel");
    }

    private static SharedLimit.Booking book(SharedLimit limit, String lane, SharedLimit.Shape shape, long maxWait) {
        return limit.book(lane, shape, 0, maxWait, -1, -1, 0);
    }

    /** Two JVMs' bookings in one lane follow one schedule: 10 a second, whoever books. */
    @Test
    void theJvmsOfAFleetBookOneSchedule() throws Exception {
        SharedLimit a = limit(redis.url(), 1000);
        SharedLimit b = limit(redis.url(), 1000);
        String lane = newLane();
        assertEquals(0, book(a, lane, TEN_A_SECOND, 5 * SECOND).delayNanos);
        long second = book(b, lane, TEN_A_SECOND, 5 * SECOND).delayNanos;
        long third = book(a, lane, TEN_A_SECOND, 5 * SECOND).delayNanos;
        // Each 100 ms after the one before, less the moments between the bookings.
        assertTrue(second > 50 * MS && second <= 100 * MS, "second " + second);
        assertTrue(third > 150 * MS && third <= 200 * MS, "third " + third);
        // A JVM that has learnt nothing yet goes by the pace the others stored.
        long fourth = book(b, lane, NOT_LEARNT, 5 * SECOND).delayNanos;
        assertTrue(fourth > 250 * MS && fourth <= 300 * MS, "fourth " + fourth);
    }

    /** One JVM's cool-down (after a 429) holds every JVM's sends until the server's reset. */
    @Test
    void aCoolDownHoldsTheWholeFleet() throws Exception {
        SharedLimit a = limit(redis.url(), 1000);
        SharedLimit b = limit(redis.url(), 1000);
        String lane = newLane();
        a.coolDown(lane, 2 * SECOND, TEN_A_SECOND, 0);
        SharedLimit.Booking seen = awaitBooking(() -> book(b, lane, NOT_LEARNT, 0), SharedLimit.Booking::noTurn);
        assertTrue(seen.closedForNanos > SECOND && seen.closedForNanos <= 2 * SECOND, "closed " + seen.closedForNanos);
        SharedLimit.Booking after = book(b, lane, TEN_A_SECOND, 10 * SECOND);
        assertTrue(after.delayNanos >= after.closedForNanos && after.delayNanos <= 2 * SECOND, "delay "
                + after.delayNanos);
    }

    /** A place later than the call may wait is refused, and refusing books nothing. */
    @Test
    void aPlaceLaterThanTheCallMayWaitIsNotBooked() throws Exception {
        SharedLimit a = limit(redis.url(), 1000);
        String lane = newLane();
        a.coolDown(lane, 3 * SECOND, TEN_A_SECOND, 0);
        awaitBooking(() -> book(a, lane, NOT_LEARNT, 0), SharedLimit.Booking::noTurn);
        for (int i = 0; i < 5; i++) {
            assertTrue(book(a, lane, TEN_A_SECOND, SECOND).noTurn());
        }
        SharedLimit.Booking booked = book(a, lane, TEN_A_SECOND, 10 * SECOND);
        // The cool-down's end, not five places after it.
        assertTrue(booked.delayNanos <= 3 * SECOND && booked.delayNanos > 2 * SECOND, "delay " + booked.delayNanos);
    }

    /** Lanes are named by a hash; neither the key nor any part of it is stored. */
    @Test
    void nothingSecretIsStored() throws Exception {
        SharedLimit a = limit(redis.url(), 1000);
        String key = "tgp_v1_" + UUID.randomUUID().toString().replace("-", "");
        String lane = SharedLimit.laneName("api.together.xyz\nBearer " + key + "\nmodel");
        assertNotNull(book(a, lane, TEN_A_SECOND, SECOND));
        String keys = redis.command("KEYS", "*");
        assertTrue(keys.contains(lane), keys);
        for (String name : keys.split("\n")) {
            assertTrue(name.matches("together-agent:lane:[0-9a-f]{32}"), name);
        }
        String state = redis.command("HGETALL", lane);
        assertFalse(state.contains(key.substring(key.length() - 4)), state);
        assertFalse(lane.contains(key.substring(7, 15)), lane);
    }

    /** Nothing listening: the booking gives up within the timeout, and until the retry no call tries again. */
    @Test
    void anUnreachableRedisLeavesEachJvmToItsOwnPace() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        SharedLimit limit = new SharedLimit(RedisUrl.parse("redis://127.0.0.1:" + port), 50);
        long start = System.nanoTime();
        assertNull(book(limit, newLane(), TEN_A_SECOND, SECOND));
        assertTrue(System.nanoTime() - start < 20 * MS, "took " + (System.nanoTime() - start) / MS + " ms: a booking"
                + " never waits for a connection");
        connected(limit, "DOWN");
        assertFalse(limit.mayBlock(), "no call waits for Redis");

        SharedPace pace = new SharedPace(new LocalPace(new Random(1)), newLane(), () -> limit);
        long now = System.nanoTime();
        assertEquals(now, pace.book(now, now + SECOND, 0), "its own pace: nothing learnt, so at once");
        assertFalse(pace.bookingBlocks());
    }

    /** A Redis that does not answer in time is given up on for that call; the next call after the pause is shared. */
    @Test
    void aSlowRedisNeverHoldsACallLongerThanTheTimeout() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            SharedLimit limit = limit(own.url(), 50);
            String lane = newLane();
            assertNotNull(book(limit, lane, TEN_A_SECOND, SECOND));
            own.command("CLIENT", "PAUSE", "1500", "ALL");
            long start = System.nanoTime();
            assertNull(book(limit, lane, TEN_A_SECOND, SECOND));
            long took = System.nanoTime() - start;
            assertTrue(took < 1000 * MS, "waited " + took / MS + " ms for a paused Redis, timeout 50 ms");
            awaitBooking(() -> book(limit, lane, TEN_A_SECOND, SECOND), b -> true);
        }
    }

    /** Redis stopped and started again (empty): each JVM goes on alone meanwhile and joins again once it answers. */
    @Test
    void aRestartedRedisIsJoinedAgain() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            SharedLimit limit = limit(own.url(), 200);
            String lane = newLane();
            assertNotNull(book(limit, lane, TEN_A_SECOND, SECOND));
            own.stop();
            assertNull(book(limit, lane, TEN_A_SECOND, SECOND));
            own.restart();
            SharedLimit.Booking joined = awaitBooking(() -> book(limit, lane, TEN_A_SECOND, SECOND), b -> true);
            assertEquals(0, joined.delayNanos, "a fresh Redis: the first booking goes at once");
        }
    }

    /** A kept connection that Redis (or a proxy) closed while idle is opened again within the booking, unnoticed. */
    @Test
    void aConnectionClosedWhileIdleIsOpenedAgain() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            SharedLimit limit = limit(own.url(), 1000);
            String lane = newLane();
            assertNotNull(book(limit, lane, TEN_A_SECOND, SECOND));
            own.command("CLIENT", "KILL", "TYPE", "normal");
            assertNotNull(book(limit, lane, TEN_A_SECOND, SECOND), "booked on a new connection");
            assertTrue(limit.mayBlock(), "Redis is not taken for down");
        }
    }

    @Test
    void aPasswordFromTheUrlOrTheEnvironmentIsUsed() throws Exception {
        try (RedisServer own = RedisServer.start("s3cret")) {
            assertNotNull(book(limit("redis://:s3cret@127.0.0.1:" + own.port(), 1000), newLane(), TEN_A_SECOND,
                    SECOND));
            assertNotNull(book(connected(new SharedLimit(RedisUrl.parse(own.url()).withPasswordFrom(
                    java.util.Map.of(RedisUrl.PASSWORD_ENV, "s3cret")), 1000), "UP"), newLane(), TEN_A_SECOND, SECOND));
            SharedLimit wrong = connected(new SharedLimit(RedisUrl.parse("redis://:wrong@127.0.0.1:" + own.port()),
                    1000), "DOWN");
            assertNull(book(wrong, newLane(), TEN_A_SECOND, SECOND));
            SharedLimit none = connected(new SharedLimit(RedisUrl.parse(own.url()), 1000), "DOWN");
            assertNull(book(none, newLane(), TEN_A_SECOND, SECOND), "no password: refused");
        }
    }

    /** Whatever Redis holds, a call never waits past what it may: the pace refuses the place instead. */
    @Test
    void nothingInRedisMakesACallWaitPastItsLatest() throws Exception {
        SharedLimit limit = limit(redis.url(), 1000);
        String lane = newLane();
        redis.command("HSET", lane, "cool", "9000000000000000", "rtat", "-5", "ri", "1e300");
        SharedPace pace = new SharedPace(new LocalPace(new Random(1)), lane, () -> limit);
        long now = System.nanoTime();
        assertEquals(Pace.NO_TURN, pace.book(now, now + SECOND, 0));
        assertTrue(pace.closedUntil(now) - now <= TimeUnit.HOURS.toNanos(1) + SECOND, "at most an hour, as a reset");

        String wrongType = newLane();
        redis.command("SET", wrongType, "not a hash");
        SharedPace refused = new SharedPace(new LocalPace(new Random(1)), wrongType, () -> limit);
        long at = System.nanoTime();
        assertEquals(at, refused.book(at, at + SECOND, 0), "an error reply: the JVM's own pace");
    }

    /**
     * An answer that used the last request closes a JVM's own lane until the reset, but not the fleet's: the shared
     * schedule saw every send. Holding a booked send to the JVM's own cool-down would make it book again and again,
     * each time spending a place of the fleet's (the 16-JVM bench row ran 1.14 times its ideal so).
     */
    @Test
    void theLastRequestOfAWindowClosesNoSharedLane() throws Exception {
        SharedLimit limit = limit(redis.url(), 1000);
        String lane = newLane();
        LocalPace local = new LocalPace(new Random(1));
        SharedPace pace = new SharedPace(local, lane, () -> limit);
        long now = System.nanoTime();
        java.util.Map<String, String> headers = java.util.Map.of("x-ratelimit-limit", "10", "x-ratelimit-remaining",
                "0", "x-ratelimit-reset", "2");
        pace.answered(200, null, io.togetheragent.core.pacing.LimitHeaders.from(headers::get), -1, now, now, 0);
        assertTrue(local.closedUntil(now) > now + SECOND, "alone, the JVM would wait for the reset");
        long at = pace.book(now, now + 5 * SECOND, 0);
        assertTrue(at < now + 500 * MS, "booked " + (at - now) / MS + " ms on");
        assertTrue(pace.closedUntil(System.nanoTime()) < at, "the booked place stands");
        assertFalse(redis.command("HGET", lane, "cool").matches("[1-9].*"), "no cool-down in Redis");
    }

    /** Polls for up to five seconds (bookings retry Redis a second after a failure) until the booking matches. */
    private static SharedLimit.Booking awaitBooking(Supplier<SharedLimit.Booking> booking,
                                                    java.util.function.Predicate<SharedLimit.Booking> wanted)
            throws InterruptedException {
        long end = System.nanoTime() + 5 * SECOND;
        SharedLimit.Booking last = null;
        while (System.nanoTime() < end) {
            last = booking.get();
            if (last != null && wanted.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such booking within 5 s; last " + (last == null ? "none (Redis not used)"
                : "delay " + last.delayNanos + ", closed " + last.closedForNanos));
    }
}
