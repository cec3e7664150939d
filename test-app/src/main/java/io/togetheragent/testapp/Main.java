package io.togetheragent.testapp;

import io.togetheragent.testapp.standin.StandIn;
import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A small "legacy service": it calls Together's chat completions through the client chosen by {@code --client},
 * with no retry logic at all, and ends with one summary line. Without {@code TOGETHER_API_KEY} it starts an
 * embedded Together stand-in on loopback and talks to that.
 */
public final class Main {
    private static final String USAGE = "usage: java -jar test-app.jar"
            + " [--client okhttp|jdk-http|jdk-http-publisher|urlconnection|httpclient4|httpclient5|reactor-netty|jetty"
            + "|vertx]"
            + " [--calls N] [--threads T]"
            + " [--rate R] [--burst B] [--model M] [--warm-up W] [--phases P] [--tls KEYSTORE]"
            + " [--stand-in-host NAME]\n"
            + "  reads TOGETHER_API_KEY and TOGETHER_BASE_URL; without a key it starts a stand-in on loopback"
            + " (rate R requests/s, burst B; over HTTPS with the key in KEYSTORE, PKCS12, password changeit);"
            + " W calls before the N are sent and not counted; with P, P more phases of N calls go before them,"
            + " the agent switched off for every other one through its JMX bean (a benchmark's with and without in"
            + " one JVM), each reported on a 'phase:' line; NAME is what the clients call the stand-in's host (its"
            + " address, 127.0.0.1, unless given: localhost is another host for an agent with hosts=127.0.0.1)";

    private Main() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(64);
            return;
        }
        String key = System.getenv("TOGETHER_API_KEY");
        StandIn standIn = null;
        String base = System.getenv("TOGETHER_BASE_URL");
        if (key == null || key.isEmpty()) {
            standIn = StandIn.start(o.rate, o.burst, StandIn.DEMO_KEY, o.tls == null ? null : serverTls(o.tls))
                    .keepNoRequests();
            key = StandIn.DEMO_KEY;
            base = standIn.url(o.standInHost) + "/v1";
            System.out.println("no TOGETHER_API_KEY: using the stand-in at " + base + " (" + o.rate
                    + " requests/s, burst " + o.burst + ")");
        } else if (base == null || base.isEmpty()) {
            base = "https://api.together.xyz/v1";
        }
        try {
            run(o, base.replaceAll("/+$", "") + "/chat/completions", key, standIn);
        } finally {
            if (standIn != null) {
                standIn.close();
            }
        }
    }

    /** The stand-in's TLS: the key in a PKCS12 key store (password changeit), as bench.sh makes with keytool. */
    private static SSLContext serverTls(String keyStore) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    private static void run(Options o, String url, String key, StandIn standIn) throws InterruptedException {
        ChatClient client = o.client();
        // One pool for the whole run: a thread that ended would take its CPU time with it (CpuTime). Daemons, so
        // that a run that fails half-way still ends.
        ExecutorService pool = Executors.newFixedThreadPool(o.threads, r -> {
            Thread t = new Thread(r, "call");
            t.setDaemon(true);
            return t;
        });
        if (o.warmUp > 0) {
            // The same calls, so that the timed ones run on warmed-up code (a benchmark's steady state).
            calls(o, pool, o.warmUp, client, url, key, new AtomicInteger(), new AtomicInteger(), new ArrayList<>());
        }
        if (o.phases > 0) {
            phases(o, pool, client, url, key, standIn);
        }
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        // For a profile of the timed calls alone (bench-profile.sh keeps the samples between these two instants).
        long startMillis = System.currentTimeMillis();
        CpuTime cpuStart = CpuTime.now();
        long allocatedStart = HeapAllocation.total();
        calls(o, pool, o.calls, client, url, key, ok, failed, failures);
        String bytesPerCall = HeapAllocation.perCall(allocatedStart, o.calls);
        long endMillis = System.currentTimeMillis();
        double elapsed = (System.nanoTime() - start) / 1e9;
        CpuTime.Used cpu = cpuStart.since();
        long withoutJit = cpu.calls;
        long jit = cpu.jit;
        client.close();
        pool.shutdown();
        for (String f : failures.subList(0, Math.min(3, failures.size()))) {
            System.out.println("failed: " + f);
        }
        System.out.println(String.format(Locale.ROOT,
                "summary: client=%s calls=%d ok=%d failed=%d server-429s=%s elapsed=%.2fs cpu-per-call=%sus"
                        + " jit-cpu=%dms cpu-per-call-without-jit=%sus%s timed=%d-%d",
                o.clientName, o.calls, ok.get(), failed.get(),
                standIn == null ? "n/a" : String.valueOf(standIn.count(429)), elapsed,
                microsPerCall(withoutJit + jit, o.calls), TimeUnit.NANOSECONDS.toMillis(jit),
                microsPerCall(withoutJit, o.calls), bytesPerCall, startMillis, endMillis));
    }

    /** {@code --phases}: the agent off and in the mode it had, by turns; back in that mode after them. */
    private static void phases(Options o, ExecutorService pool, ChatClient client, String url, String key,
                               StandIn standIn) throws InterruptedException {
        if (standIn != null && o.standInHost != null) {
            // The agent's JMX bean comes with its first Together request: one, to the stand-in by its address.
            calls(o, pool, 1, client, standIn.url() + "/v1/chat/completions", key, new AtomicInteger(),
                    new AtomicInteger(), new ArrayList<>());
        }
        String configured = AgentSwitch.mode();
        if (configured == null) {
            // Without the agent's bean, every phase would run alike, and say nothing.
            throw new IllegalStateException("--phases needs together-agent, switched through its JMX bean");
        }
        try {
            for (int phase = 0; phase < o.phases; phase++) {
                // Off, on, on, off, off, on...: each pair has one of each, in both orders by turns, so that a
                // drift across the phases (code still being optimised, a neighbour's load) weighs on both alike.
                String mode = (phase + 1) % 4 < 2 ? "off" : configured;
                AgentSwitch.to(mode);
                CpuTime cpu = CpuTime.now();
                long allocated = HeapAllocation.total();
                calls(o, pool, o.calls, client, url, key, new AtomicInteger(), new AtomicInteger(), new ArrayList<>());
                System.out.println("phase: mode=" + mode + " cpu-per-call-without-jit="
                        + microsPerCall(cpu.since().calls, o.calls) + "us"
                        + HeapAllocation.perCall(allocated, o.calls));
            }
        } finally {
            AgentSwitch.to(configured);
        }
    }

    /** Tenths of a microsecond: the agent's cost is a point or two of some 100 µs a call. */
    private static String microsPerCall(long nanos, int calls) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0 / Math.max(1, calls));
    }

    private static void calls(Options o, ExecutorService pool, int calls, ChatClient client, String url, String key,
                              AtomicInteger ok, AtomicInteger failed, List<String> failures)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(calls);
        for (int i = 0; i < calls; i++) {
            String json = "{\"model\":\"" + o.model + "\",\"max_tokens\":16,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello, call " + i + "\"}]}";
            pool.execute(() -> {
                String outcome;
                try {
                    ChatClient.Reply reply = client.post(url, key, json);
                    outcome = reply.status == 200 ? null : "HTTP " + reply.status + " " + reply.body;
                } catch (Exception | Error e) {
                    // An Error too (a broken class path): counted as a failure, not lost with its thread.
                    outcome = e.toString();
                }
                if (outcome == null) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    synchronized (failures) {
                        failures.add(outcome);
                    }
                }
                done.countDown();
            });
        }
        done.await();
    }

    private static final class Options {
        String clientName = "okhttp";
        int calls = 20;
        int warmUp = 0;
        int phases = 0;
        String tls;
        String standInHost;
        int threads = 4;
        double rate = 5;
        int burst = 2;
        String model = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + flag);
                }
                String value = args[++i];
                try {
                    switch (flag) {
                        case "--client": o.clientName = value; break;
                        case "--calls": o.calls = Integer.parseInt(value); break;
                        case "--threads": o.threads = Integer.parseInt(value); break;
                        case "--rate": o.rate = Double.parseDouble(value); break;
                        case "--burst": o.burst = Integer.parseInt(value); break;
                        case "--model": o.model = value; break;
                        case "--warm-up": o.warmUp = Integer.parseInt(value); break;
                        case "--phases": o.phases = Integer.parseInt(value); break;
                        case "--tls": o.tls = value; break;
                        case "--stand-in-host": o.standInHost = value; break;
                        default: throw new IllegalArgumentException("unknown flag " + flag);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number after " + flag + ": " + value);
                }
            }
            o.client();
            return o;
        }

        ChatClient client() {
            switch (clientName) {
                case "okhttp": return new OkHttpChatClient();
                case "jdk-http": return new JdkHttpChatClient(false);
                case "jdk-http-publisher": return new JdkHttpChatClient(true);
                case "urlconnection": return new UrlConnectionChatClient();
                case "httpclient4": return new HttpClient4ChatClient();
                case "httpclient5": return new HttpClient5ChatClient();
                case "reactor-netty": return new ReactorNettyChatClient();
                case "jetty": return new JettyChatClient();
                case "vertx": return new VertxChatClient();
                default: throw new IllegalArgumentException("unknown client " + clientName + " (known: okhttp,"
                        + " jdk-http, jdk-http-publisher, urlconnection, httpclient4, httpclient5, reactor-netty, jetty,"
                        + " vertx)");
            }
        }
    }
}
