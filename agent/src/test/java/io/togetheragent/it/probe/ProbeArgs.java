package io.togetheragent.it.probe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a probe (a tiny application run in a child JVM) is asked to do, and how it reports each call, so one
 * behaviour suite can drive every HTTP client the same way.
 */
public final class ProbeArgs {
    /** The probes' API key: a well-formed Together key, so the key check has nothing to say about it. */
    public static final String KEY = "tgp_v1_probeKey" + "0".repeat(35);

    public String url;
    public int calls = 1;
    public String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo \u2603\"}]}";
    public boolean get;
    public boolean unreplayable;
    public boolean async;
    public long callTimeoutMillis;
    public int derive;
    /** How the body is given to clients that have several ways: string, bytes, byte-arrays, file, input-stream. */
    public String publisher = "string";
    /** HttpURLConnection: the method (default POST, or GET with --get), streaming mode, a trap to spring. */
    public String method;
    public String streaming;
    public String trap;
    /** A trust store for the probe's own SSLSocketFactory, instead of the JVM's default one. */
    public String sslTrust;
    /**
     * A file the test makes once the agent has begun its first wait (it said it will retry the first answer): where
     * a probe looks into that wait (its cancel, its count of threads sleeping in the agent), it looks then, however
     * long the first attempt took. Without it, a probe does not look into the wait at all.
     */
    public String inTheWait;
    /** With --async: cancel the first call in the agent's first wait. */
    public boolean cancel;
    /** Apache HttpClient, Reactor Netty: connections in the pool (0: the client's default), calls running at once. */
    public int pool;
    public int threads = 1;
    /** Odd-numbered calls send this key instead (OkHttp probe). */
    public String alternateKey;
    /** With it, odd calls name this model instead of "m". */
    public String alternateModel;
    private static final ThreadLocal<Integer> CALL = ThreadLocal.withInitial(() -> 0);
    /** Each call's body names the call, so no two calls are the same (OkHttp probe). */
    public boolean distinctBodies;
    /** The first call goes alone, and the others this long after it. */
    public long firstAloneMillis;
    /** The calls after the first start this long apart. */
    public long staggerMillis;
    /**
     * The first call goes alone; once it has ended the probe says {@code READY} and waits, at most a minute, until
     * this file exists (an agent is attached meanwhile), then makes the other calls with the same client.
     */
    public String pauseAfterFirst;
    /** Apache HttpClient: use the overloads taking a response handler (classic) or a response consumer (async). */
    public boolean handler;
    /**
     * Apache HttpClient 5: keep the client's own default retry strategy, which resends 429 and 503 itself. Off
     * unless asked for, so the shared suite sees the agent's behaviour alone, as with clients that have none.
     */
    public boolean clientRetries;
    /**
     * Which client object: Apache HttpClient {@code minimal} ({@code HttpClients.createMinimal}) or, for 4.x,
     * {@code legacy} (the deprecated {@code DefaultHttpClient}); RestTemplate {@code httpcomponents} (Spring's
     * {@code HttpComponentsClientHttpRequestFactory}).
     */
    public String variant = "default";
    /** Apache HttpClient: pass a context of the application's own. */
    public boolean context;
    /** Reactor Netty: how the answer is received (responseSingle, response, responseContent, responseConnection). */
    public String receive = "responseSingle";
    /** Reactor: a {@code timeout()} on the call's {@code Mono} that fires in the agent's first wait. */
    public boolean reactorTimeout;
    /** Reactor: a {@code timeout()} of this many milliseconds on the {@code Mono} of each call after the first. */
    public long reactorTimeoutMillis;
    /**
     * Jetty: each call after the first is aborted this many milliseconds after its send, and its line followed by
     * {@code ABORT-TO-END <call> <ms>}, from the abort to the application hearing of the call's end.
     */
    public long abortAfterMillis;
    /** Report each chunk of the body as it comes, with the time since the probe started. */
    public boolean stream;
    /** How long to stay alive after the calls, for lines the agent writes on a timer. */
    public long lingerMillis;
    /** Report a 200's answer text, not its whole body (see AnswerText), as the frameworks' acceptance run reads it. */
    public boolean answerText;
    public final Map<String, String> headers = new LinkedHashMap<>();
    /** The agent's class whose live instances are counted as the JVM ends ({@code LIVE <class> <n>}). */
    public static final String CALL_CLASS = "io.togetheragent.core.retry.CallRetry";

    public static ProbeArgs parse(String[] args) {
        ProbeArgs p = new ProbeArgs();
        p.headers.put("Authorization", "Bearer " + KEY);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url": p.url = args[++i]; break;
                case "--calls": p.calls = Integer.parseInt(args[++i]); break;
                case "--body": p.body = args[++i]; break;
                case "--get": p.get = true; break;
                case "--unreplayable": p.unreplayable = true; break;
                case "--async": p.async = true; break;
                case "--call-timeout-ms": p.callTimeoutMillis = Long.parseLong(args[++i]); break;
                case "--derive": p.derive = Integer.parseInt(args[++i]); break;
                case "--publisher": p.publisher = args[++i]; break;
                case "--method": p.method = args[++i]; break;
                case "--streaming": p.streaming = args[++i]; break;
                case "--trap": p.trap = args[++i]; break;
                case "--ssl-trust": p.sslTrust = args[++i]; break;
                case "--in-the-wait": p.inTheWait = args[++i]; break;
                case "--cancel": p.cancel = true; break;
                case "--pool": p.pool = Integer.parseInt(args[++i]); break;
                case "--threads": p.threads = Integer.parseInt(args[++i]); break;
                case "--alternate-key": p.alternateKey = args[++i]; break;
                case "--alternate-model": p.alternateModel = args[++i]; break;
                case "--distinct-bodies": p.distinctBodies = true; break;
                case "--first-alone-ms": p.firstAloneMillis = Long.parseLong(args[++i]); break;
                case "--stagger-ms": p.staggerMillis = Long.parseLong(args[++i]); break;
                case "--reactor-timeout-ms": p.reactorTimeoutMillis = Long.parseLong(args[++i]); break;
                case "--abort-after-ms": p.abortAfterMillis = Long.parseLong(args[++i]); break;
                case "--pause-after-first": p.pauseAfterFirst = args[++i]; break;
                case "--handler": p.handler = true; break;
                case "--context": p.context = true; break;
                case "--client-retries": p.clientRetries = true; break;
                case "--variant": p.variant = args[++i]; break;
                case "--no-auth": p.headers.remove("Authorization"); break;
                case "--receive": p.receive = args[++i]; break;
                case "--reactor-timeout": p.reactorTimeout = true; break;
                case "--stream": p.stream = true; break;
                case "--linger-ms": p.lingerMillis = Long.parseLong(args[++i]); break;
                case "--answer-text": p.answerText = true; break;
                case "--report-live": Runtime.getRuntime().addShutdownHook(new Thread(ProbeArgs::reportLive)); break;
                case "--watch-waits": WaitWatch.start(); break;
                case "--header": {
                    String[] kv = args[++i].split(":", 2);
                    p.headers.put(kv[0], kv[1]);
                    break;
                }
                default: throw new IllegalArgumentException("unknown probe flag " + args[i]);
            }
        }
        return p;
    }

    /** The body of the call this thread is making (see {@link #callStarts}). */
    public String body() {
        return alternateModel != null && CALL.get() % 2 == 1
                ? body.replace("\"model\":\"m\"", "\"model\":\"" + alternateModel + "\"") : body;
    }

    public byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }

    /** The calls this thread makes from now on are call {@code n}: for {@link #body()}. */
    public static void callStarts(int n) {
        CALL.set(n);
    }

    /** Whether any thread is asleep inside the agent right now: async clients must never let that happen. */
    public static long threadsSleepingInTheAgent() {
        return Thread.getAllStackTraces().values().stream().filter(stack -> {
            boolean sleeping = stack.length > 0 && stack[0].getMethodName().equals("sleep");
            boolean inAgent = java.util.Arrays.stream(stack).anyMatch(f -> WaitWatch.isTheAgents(f.getClassName()));
            return sleeping && inAgent;
        }).count();
    }

    /**
     * As the JVM ends (every probe ends by System.exit, whose hooks run after its calls): how many of the agent's
     * calls are still reachable, from HotSpot's class histogram, which collects the heap first. It skips that
     * collection when a thread holds the GC locker (a JNI critical region, "pre-dump GC was skipped") and then
     * counts garbage too, so the fewest of three counts is reported: a call truly kept is in every one.
     */
    private static void reportLive() {
        try {
            long live = Long.MAX_VALUE;
            for (int i = 0; i < 3 && live > 0; i++) {
                live = Math.min(live, liveCalls());
            }
            System.out.println("LIVE " + CALL_CLASS + " " + live);
        } catch (Exception e) {
            System.out.println("LIVE unknown " + e);
        }
    }

    private static long liveCalls() throws Exception {
        String histogram = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return histogram.lines().map(String::trim).map(line -> line.split("\\s+"))
                .filter(cols -> cols.length >= 4 && cols[3].equals(CALL_CLASS))
                .mapToLong(cols -> Long.parseLong(cols[1])).sum();
    }

    /** Stays alive {@code --linger-ms}, then ends the JVM. */
    public void exit() throws InterruptedException {
        Thread.sleep(lingerMillis);
        System.exit(0);
    }

    /** Runs {@code calls} calls, {@code threads} at a time, and waits for all of them. */
    public void runCalls(java.util.function.IntConsumer call) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        CountDownLatch firstEnded = new CountDownLatch(1);
        for (int i = 0; i < calls; i++) {
            int n = i;
            pool.execute(() -> {
                try {
                    callStarts(n);
                    call.accept(n);
                } finally {
                    if (n == 0) {
                        firstEnded.countDown();
                    }
                }
            });
            if (i == 0 && firstAloneMillis > 0) {
                Thread.sleep(firstAloneMillis);
            }
            if (i > 0 && staggerMillis > 0) {
                Thread.sleep(staggerMillis);
            }
            if (i == 0 && pauseAfterFirst != null) {
                firstEnded.await();
                readyThenAwait(pauseAfterFirst);
            }
        }
        pool.shutdown();
        if (!pool.awaitTermination(120, java.util.concurrent.TimeUnit.SECONDS)) {
            System.out.println("CALLS DID NOT FINISH");
        }
    }

    /** Says {@code READY}, then waits, at most a minute, until the signal file exists (a test attaches meanwhile). */
    public static void readyThenAwait(String signalFile) throws InterruptedException {
        System.out.println("READY");
        System.out.flush();
        awaitFile(signalFile);
    }

    /** Until the agent's first wait has begun (see {@link #inTheWait}); at once without that file. */
    public void intoTheWait() throws InterruptedException {
        if (inTheWait != null) {
            awaitFile(inTheWait);
        }
    }

    /**
     * Where the test looks into the agent's first wait ({@link #inTheWait}): once it has begun, how many threads
     * sleep in the agent ({@code SLEEPING_IN_AGENT n}). Other runs go on at once: a fixed pause here in their place
     * cost every such call 0.3 to 1.2 s, some ten minutes of CI.
     */
    public void reportThreadsSleepingInTheWait() throws InterruptedException {
        if (inTheWait != null) {
            awaitFile(inTheWait);
            System.out.println("SLEEPING_IN_AGENT " + threadsSleepingInTheAgent());
        }
    }

    /** Waits, at most a minute, until the file exists. */
    private static void awaitFile(String file) throws InterruptedException {
        for (int wait = 0; wait < 600 && !Files.exists(Paths.get(file)); wait++) {
            Thread.sleep(100);
        }
    }

    public static void reportStatus(int call, int status, String testHeader, byte[] body) {
        System.out.println("CALL " + call + " STATUS " + status + " HEADER " + (testHeader == null ? "-" : testHeader)
                + " BODY " + Base64.getEncoder().encodeToString(body));
    }

    /**
     * Reports a response whose body the application reads as a stream: the bytes it got, and, where the body broke
     * off, the exception it met then (its class), so that a test sees partial bodies and their failures. Each read is
     * reported as it comes ({@code CHUNK <ms since start> <n> bytes}), so that a test sees whether a body streamed.
     */
    /** When the probe started, for the times of {@code CHUNK} lines. */
    private static final long START = System.nanoTime();

    public static void reportStream(int call, int status, String testHeader, java.io.InputStream in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Throwable failure = null;
        if (in != null) {
            try (java.io.InputStream closing = in) {
                byte[] buf = new byte[8192];
                for (int n; (n = closing.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    reportChunk(n);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
        reportStreamed(call, status, testHeader, out.toByteArray(), failure);
    }

    /** For clients that hand the body over in parts as they come: one {@code CHUNK} line, as {@link #reportStream}. */
    public static void reportChunk(int bytes) {
        System.out.println("CHUNK " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - START) + " " + bytes
                + " bytes");
    }

    /** As {@link #reportStream}, for a body received in parts: its bytes and the failure it broke off with, if any. */
    public static void reportStreamed(int call, int status, String testHeader, byte[] body, Throwable failure) {
        System.out.println("CALL " + call + " STATUS " + status + " HEADER " + (testHeader == null ? "-" : testHeader)
                + " BODY " + Base64.getEncoder().encodeToString(body)
                + (failure == null ? "" : " FAILED " + failure.getClass().getName()));
    }

    /**
     * A call's blocking {@code send}; with {@code --abort-after-ms}, for a call after the first, {@code abort} runs
     * that long after it began, and {@code ABORT-TO-END} says how long after the abort the application heard of the
     * call's end.
     */
    public <T> T abortingLater(int call, Runnable abort, java.util.concurrent.Callable<T> send) throws Exception {
        AbortLater later = abortLater(call, abort);
        try {
            return send.call();
        } finally {
            later.ended();
        }
    }

    private AbortLater abortLater(int call, Runnable abort) {
        AbortLater later = new AbortLater(call);
        if (call > 0 && abortAfterMillis > 0) {
            Thread aborter = new Thread(() -> {
                try {
                    Thread.sleep(abortAfterMillis);
                    later.abortedAt = System.nanoTime();
                    abort.run();
                } catch (InterruptedException ignored) {
                    // a daemon nobody interrupts: the JVM is ending
                }
            });
            aborter.setDaemon(true);
            aborter.start();
        }
        return later;
    }

    private static final class AbortLater {
        private final int call;
        private volatile long abortedAt;

        private AbortLater(int call) {
            this.call = call;
        }

        void ended() {
            long at = abortedAt;
            if (at != 0) {
                System.out.println("ABORT-TO-END " + call + " "
                        + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at));
            }
        }
    }

    public static void reportError(int call, Throwable t) {
        System.out.println("CALL " + call + " ERROR " + t.toString().replace('\n', ' '));
    }
}
