package io.togetheragent.core.shared;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lanes' state shared by a fleet of JVMs, in Redis: each lane's send schedule (a GCRA on Redis' clock, since
 * no two JVMs' clocks agree) and cool-down, and the pace the JVMs learnt from the server's headers, each changed
 * atomically by a Lua script. A booking is one round trip; a cool-down is told in the background.
 *
 * <p>It fails open: a round trip that does not end within the timeout, a refused connection, an error reply all
 * make the JVM pace on its own ({@code book} returns null) and say so once; it tries Redis again after a second
 * (doubling, up to half a minute) and says when Redis answers again. One connection, used under a lock: a round
 * trip is a fraction of a millisecond, far below the rates Together allows.
 */
public final class SharedLimit {
    private static final Logger log = LoggerFactory.getLogger(SharedLimit.class);
    /** How long a lane's state outlives its last use: longer than any reset Together announces (an hour). */
    private static final long TTL_MILLIS = TimeUnit.HOURS.toMillis(2);
    private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LAST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final String KEY_PREFIX = "together-agent:lane:";
    /** Connecting happens in the background, never on a request's time: it may take a cold JVM this long. */
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * Books the next send of a lane: the latest of now, the cool-down's end, and what the request and token
     * schedules allow; nothing is booked if that is later than the call may wait. Times in microseconds on Redis'
     * clock; the JVM's learnt pace (0: not learnt) replaces the stored one, and what the JVM's last answer said was
     * left corrects the schedules (the server's count is the fleet's). Returns {delay, cool-down left}, delay -1 for
     * no turn.
     */
    private static final Script BOOK = new Script(String.join("\n",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])",
            "local s = redis.call('HMGET', KEYS[1], 'cool', 'rtat', 'ttat', 'ri', 'rb', 'ti', 'tb')",
            "local cool, rtat, ttat = tonumber(s[1]) or 0, tonumber(s[2]) or 0, tonumber(s[3]) or 0",
            "local ri, rb, ti, tb = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])",
            "if ri <= 0 then ri, rb = tonumber(s[4]) or 0, tonumber(s[5]) or 1 end",
            "if ti <= 0 then ti, tb = tonumber(s[6]) or 0, tonumber(s[7]) or 0 end",
            "local tokens, seen = tonumber(ARGV[5]), now - tonumber(ARGV[9])",
            "if ri > 0 and tonumber(ARGV[7]) >= 0 then rtat = math.max(rtat, seen + (rb - tonumber(ARGV[7])) * ri) end",
            "if ti > 0 and tonumber(ARGV[8]) >= 0 then ttat = math.max(ttat, seen + (tb - tonumber(ARGV[8])) * ti) end",
            "local at = math.max(now, cool)",
            "if ri > 0 and rtat > 0 then at = math.max(at, rtat + ri - rb * ri) end",
            "if ti > 0 and ttat > 0 and tokens > 0 then at = math.max(at, ttat + (tokens - tb) * ti) end",
            "if at - now > tonumber(ARGV[6]) then return {-1, math.floor(cool - now)} end",
            "if ri > 0 then rtat = math.max(rtat, at) + ri end",
            "if ti > 0 and tokens > 0 then ttat = math.max(ttat, at) + tokens * ti end",
            "redis.call('HSET', KEYS[1], 'rtat', rtat, 'ttat', ttat, 'ri', ri, 'rb', rb, 'ti', ti, 'tb', tb)",
            "redis.call('PEXPIRE', KEYS[1], ARGV[10])",
            "return {math.floor(at - now), math.floor(cool - now)}"));

    /**
     * Closes a lane until the server's reset (microseconds from now), for every JVM; the sends after it resume one
     * after another, not in a burst.
     */
    private static final Script COOL = new Script(String.join("\n",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])",
            "local s = redis.call('HMGET', KEYS[1], 'cool', 'rtat', 'ttat')",
            "local cool = math.max(tonumber(s[1]) or 0, now + tonumber(ARGV[1]))",
            "local ri, rb, ti, tb = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])",
            "redis.call('HSET', KEYS[1], 'cool', cool)",
            "if ri > 0 then redis.call('HSET', KEYS[1], 'rtat', math.max(tonumber(s[2]) or 0, cool + (rb - 1) * ri),"
                    + " 'ri', ri, 'rb', rb) end",
            "if ti > 0 then redis.call('HSET', KEYS[1], 'ttat', math.max(tonumber(s[3]) or 0, cool + (tb -"
                    + " tonumber(ARGV[6])) * ti), 'ti', ti, 'tb', tb) end",
            "redis.call('PEXPIRE', KEYS[1], ARGV[7])",
            "return 1"));

    /** The one thread that talks to Redis for calls whose own thread must not block (event loops, the scheduler). */
    private static final ExecutorService OFF_LOOP = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "together-agent-shared-limit");
                t.setDaemon(true);
                t.setContextClassLoader(null);
                return t;
            });
    private static volatile Thread offLoopThread;
    /** When the task now running on that thread was handed over: its wait in the queue counts against the timeout. */
    private static long offLoopQueuedAt;

    private enum State { NEW, UP, DOWN }

    private final RedisUrl url;
    private final long timeoutNanos;
    private final long connectTimeoutNanos;
    private final AtomicBoolean connecting = new AtomicBoolean();
    /** Connected, the scripts loaded, and not failed since: bookings go to Redis. */
    private volatile boolean ready;
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Guarded by {@link #lock}. */
    private RedisConnection connection;
    /** The scripts this connection's Redis has seen, which it runs by their SHA-1 from then on. */
    private final java.util.Set<Script> scriptsSent = new java.util.HashSet<>();
    /** Whether the connection has answered before: if it breaks now, it may only have been closed while idle. */
    private boolean connectionUsed;
    private long retryNanos = FIRST_RETRY_NANOS;
    private volatile long downUntil = Long.MIN_VALUE;
    private volatile State state = State.NEW;
    private volatile boolean closed;

    public SharedLimit(RedisUrl url, long timeoutMillis) {
        this.url = url;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.connectTimeoutNanos = Math.max(timeoutNanos, CONNECT_TIMEOUT_NANOS);
        connectSoon();
    }

    /** A booking's answer: the send may go {@code delayNanos} from when the answer came, or not at all. */
    public static final class Booking {
        static final long NO_TURN = -1;
        public final long delayNanos;
        /** How long the lane's cool-down still holds (0: open). */
        public final long closedForNanos;

        Booking(long delayNanos, long closedForNanos) {
            this.delayNanos = delayNanos;
            this.closedForNanos = closedForNanos;
        }

        public boolean noTurn() {
            return delayNanos == NO_TURN;
        }
    }

    /** A lane's pace as one JVM learnt it: microseconds per request and per token (0: not learnt), and bursts. */
    public static final class Shape {
        final double requestMicros;
        final double requestBurst;
        final double tokenMicros;
        final double tokenBurst;

        public Shape(double requestsPerSecond, double requestBurst, double tokensPerSecond, double tokenBurst) {
            this.requestMicros = requestsPerSecond > 0 ? 1e6 / requestsPerSecond : 0;
            this.requestBurst = requestBurst;
            this.tokenMicros = tokensPerSecond > 0 ? 1e6 / tokensPerSecond : 0;
            this.tokenBurst = tokenBurst;
        }
    }

    /**
     * The name of a lane in Redis: a hash of what identifies it in this JVM (its host, key and model, as
     * {@code Traffic} keys its lanes), so that no key is ever stored there.
     */
    public static String laneName(String laneKey) {
        return KEY_PREFIX + hex("SHA-256", laneKey, 16);
    }

    /** The first bytes of the text's digest, in hex. */
    private static String hex(String algorithm, String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(bytes, digest.length); i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
    }

    /**
     * Books a send of this lane, within the timeout; null when Redis cannot say now (then the JVM paces on its own).
     *
     * @param maxWaitNanos the most the send may be held back: a later place is not booked
     * @param requestsLeft what the lane's last answer in this JVM said was left of requests (-1: nothing said), and
     *     of tokens, {@code leftAgeNanos} ago
     */
    public Booking book(String lane, Shape shape, long tokens, long maxWaitNanos, double requestsLeft,
                        double tokensLeft, long leftAgeNanos) {
        List<?> reply = (List<?>) run(BOOK, lane, micros(shape.requestMicros), number(shape.requestBurst),
                micros(shape.tokenMicros), number(shape.tokenBurst), String.valueOf(tokens),
                String.valueOf(TimeUnit.NANOSECONDS.toMicros(Math.max(0, maxWaitNanos))), number(requestsLeft),
                number(tokensLeft), String.valueOf(TimeUnit.NANOSECONDS.toMicros(Math.max(0, leftAgeNanos))),
                String.valueOf(TTL_MILLIS));
        if (reply == null || reply.size() != 2 || !(reply.get(0) instanceof Long) || !(reply.get(1) instanceof Long)) {
            return null;
        }
        long delay = (Long) reply.get(0);
        long closedFor = Math.max(0, (Long) reply.get(1));
        return new Booking(delay < 0 ? Booking.NO_TURN : TimeUnit.MICROSECONDS.toNanos(delay),
                TimeUnit.MICROSECONDS.toNanos(Math.min(closedFor, TimeUnit.HOURS.toMicros(1))));
    }

    /** Tells the fleet, in the background, that the lane is closed for this long (the server's reset). */
    public void coolDown(String lane, long resetNanos, Shape shape, long tokens) {
        if (!mayBlock()) {
            return;
        }
        offLoop(() -> run(COOL, lane, String.valueOf(TimeUnit.NANOSECONDS.toMicros(resetNanos)),
                micros(shape.requestMicros), number(shape.requestBurst), micros(shape.tokenMicros),
                number(shape.tokenBurst), String.valueOf(tokens),
                String.valueOf(TTL_MILLIS + TimeUnit.NANOSECONDS.toMillis(resetNanos))));
    }

    /**
     * Whether a booking may wait for Redis now: only once connected, and not while Redis is found failing (bookings
     * are then local and never block, and no call's thread is handed over to {@link #offLoop}). Asking, while not
     * connected and not waiting to try again, starts connecting in the background.
     */
    public boolean mayBlock() {
        if (ready && !closed) {
            return true;
        }
        connectSoon();
        return false;
    }

    /** NEW, UP or DOWN, for tests. */
    String state() {
        return state.name();
    }

    /**
     * Connects in the background, so that no request ever waits for a connection to be made (a cold JVM's first one,
     * class loading and all, takes longer than a round trip's timeout): until it is ready, bookings are local.
     */
    private void connectSoon() {
        if (closed || System.nanoTime() < downUntil || !connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            offLoop(this::connect);
        } catch (RuntimeException e) {
            // The agent's Redis thread will not take it (never seen): the lanes stay this JVM's own, as when down.
            connecting.set(false);
        }
    }

    private void connect() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            dropConnection();
            long deadline = System.nanoTime() + connectTimeoutNanos;
            connection = RedisConnection.open(url, deadline);
            scriptsSent.clear();
            for (Script script : new Script[] {BOOK, COOL}) {
                connection.timeout(deadline);
                connection.command("SCRIPT", "LOAD", script.text);
                scriptsSent.add(script);
            }
            connectionUsed = true;
            ready = true;
            answered();
        } catch (Throwable t) {
            failed(t, connectTimeoutNanos);
        } finally {
            connecting.set(false);
            lock.unlock();
        }
    }

    /** Runs the task on the thread that talks to Redis for calls that must not wait on their own thread. */
    public static void offLoop(Runnable task) {
        long queued = System.nanoTime();
        OFF_LOOP.execute(() -> {
            offLoopThread = Thread.currentThread();
            offLoopQueuedAt = queued;
            try {
                task.run();
            } finally {
                offLoopQueuedAt = 0;
            }
        });
    }

    public static boolean onOffLoopThread() {
        return Thread.currentThread() == offLoopThread;
    }

    /** Stops using Redis (the setting changed): bookings from now on are local. */
    public void close() {
        closed = true;
        ready = false;
        lock.lock();
        try {
            dropConnection();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return url.toString();
    }

    /** One script's round trip within the timeout, counted from when the caller asked; null when it failed. */
    private Object run(Script script, String lane, String... args) {
        long asked = onOffLoopThread() && offLoopQueuedAt != 0 ? offLoopQueuedAt : System.nanoTime();
        long deadline = asked + timeoutNanos;
        if (!mayBlock()) {
            return null;
        }
        try {
            if (!lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            if (!ready || closed || deadline - System.nanoTime() <= 0) {
                return null;
            }
            Object reply;
            try {
                reply = evalOn(connection, deadline, script, lane, args);
            } catch (IOException e) {
                if (!stale(e)) {
                    throw e;
                }
                // A kept connection that Redis or a proxy closed while idle: that is no failure of Redis' own.
                dropConnection();
                connection = RedisConnection.open(url, deadline);
                scriptsSent.clear();
                reply = evalOn(connection, deadline, script, lane, args);
            }
            answered();
            return reply;
        } catch (Throwable t) {
            failed(t, timeoutNanos);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the failure is of a kept connection closed meanwhile, rather than of Redis now. */
    private boolean stale(IOException e) {
        return connectionUsed && !(e instanceof SocketTimeoutException) && !(e instanceof RedisConnection.RedisError);
    }

    private Object evalOn(RedisConnection on, long deadline, Script script, String lane, String... args)
            throws IOException {
        on.timeout(deadline);
        Object reply = eval(script, lane, args);
        connectionUsed = true;
        return reply;
    }

    private Object eval(Script script, String lane, String... args) throws IOException {
        if (scriptsSent.contains(script)) {
            try {
                return connection.command(script.call("EVALSHA", lane, args));
            } catch (RedisConnection.RedisError e) {
                if (!e.isNoScript()) {
                    throw e;
                }
                // Redis restarted behind a proxy, or its scripts were flushed: send the script itself again.
            }
        }
        Object reply = connection.command(script.call("EVAL", lane, args));
        scriptsSent.add(script);
        return reply;
    }

    private void answered() {
        retryNanos = FIRST_RETRY_NANOS;
        State was = state;
        state = State.UP;
        if (was == State.NEW) {
            log.info("shared-limit: the lanes are shared with the other JVMs through Redis at {}", url);
        } else if (was == State.DOWN) {
            log.info("shared-limit: Redis at {} answers again; the lanes are shared again", url);
        }
    }

    /** @param timeoutNanos the timeout of what failed, for the log line */
    private void failed(Throwable t, long timeoutNanos) {
        ready = false;
        dropConnection();
        downUntil = System.nanoTime() + retryNanos;
        retryNanos = Math.min(LAST_RETRY_NANOS, retryNanos * 2);
        if (state != State.DOWN) {
            state = State.DOWN;
            log.warn("shared-limit: Redis at {} {}; this JVM paces its lanes on its own until Redis answers again"
                    + " (said once until then)", url, why(t, timeoutNanos));
        }
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private String why(Throwable t, long timeoutNanos) {
        if (t instanceof SocketTimeoutException) {
            return "did not answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms"
                    + (timeoutNanos == this.timeoutNanos ? " (shared-limit-timeout)" : " when connecting");
        }
        if (t instanceof ConnectException) {
            return "refused the connection";
        }
        if (t instanceof UnknownHostException) {
            return "is not a known host";
        }
        if (t instanceof RedisConnection.RedisError) {
            return "refused: " + t.getMessage();
        }
        return "failed: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }

    private static String micros(double micros) {
        return number(micros);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(java.util.Locale.ROOT, "%.3f", value);
    }

    /** A Lua script and its SHA-1, by which Redis runs it once it has seen it. */
    private static final class Script {
        final String text;
        final String sha;

        Script(String text) {
            this.text = text;
            this.sha = hex("SHA-1", text, 20);
        }

        /** The command that runs it on one lane: EVAL with its text, or EVALSHA with its SHA-1. */
        String[] call(String verb, String lane, String... args) {
            String[] command = new String[4 + args.length];
            command[0] = verb;
            command[1] = verb.equals("EVAL") ? text : sha;
            command[2] = "1";
            command[3] = lane;
            System.arraycopy(args, 0, command, 4, args.length);
            return command;
        }
    }
}
