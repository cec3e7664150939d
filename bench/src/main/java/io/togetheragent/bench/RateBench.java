package io.togetheragent.bench;

import io.togetheragent.testapp.standin.ChatBody;
import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rate benchmark, chat calls through the OpenAI Java SDK against the stand-in, in two tables:
 * <ol>
 * <li>one model at 10 requests/s, burst 5: 200 calls from one JVM of 16 threads and from a fleet of 4 JVMs of 4
 *     threads sharing one key; without the agent, with the SDK's own retries, and with the agent (throttle off and
 *     adaptive);
 * <li>Together's limits as they are (issue 14): two models of one key, each limited apart; a model bound by tokens
 *     rather than requests; and a model that answers 503 to a share of the requests within its limit.
 * </ol>
 * For each, the share of calls that succeeded, the makespan (first request to last, at the server) against the ideal
 * (what the limit allows after its burst) and the 429s drawn per call. The JVMs of a fleet begin at one agreed time.
 *
 * <p>Usage: {@code RateBench <together-agent.jar> <output directory> [only rows whose label contains this]}; the
 * system property {@code bench.agent.log-level} (default warn) sets the agent's log level in the clients.
 */
public final class RateBench {
    private static final Pattern RESULT = Pattern.compile("RESULT ok=(\\d+) calls=(\\d+) start=(\\d+) end=(\\d+)");
    private static final Pattern P95 = Pattern.compile("P95 (\\d+) MAX (\\d+)");
    private static final Pattern LATENCY = Pattern.compile("LATENCY p50=(\\d+) p99=(\\d+)");

    private final String agentJar;
    private final File out;
    private final String only;
    /** Whether each JVM makes one call to a closed port before the agreed start (the fleet rows). */
    private boolean warmUp;

    private RateBench(String agentJar, File out, String only) {
        this.agentJar = agentJar;
        this.out = out;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        RateBench bench = new RateBench(new File(args[0]).getAbsolutePath(), new File(args[1]),
                args.length > 2 ? args[2] : "");
        bench.out.mkdirs();
        System.out.printf(Locale.ROOT, "java %s; %d cores%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        bench.oneModel();
        bench.togethersLimits();
        bench.fleets();
        bench.sharedLatency();
    }

    /**
     * Table 3 (issue 17): fleets of 4, 8 and 16 JVMs sharing one key, without and with {@code shared-limit}, begun
     * together and one after another (a rollout: each JVM half a second after the one before); the SDK's retries off.
     */
    private void fleets() throws Exception {
        double rate = 10;
        int burst = 5;
        System.out.printf(Locale.ROOT, "Fleets sharing one key: about 200 calls in all, stand-in %.0f requests/s,"
                + " burst %d, SDK retries off, agent defaults; each JVM warmed by one call to a closed port%n%n", rate,
                burst);
        warmUp = true;
        System.out.println("| JVMs x threads | start | shared-limit | succeeded | makespan / ideal | 429s per call |"
                + " longest pause at the server |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int jvms : new int[] {4, 8, 16}) {
            int perJvm = (int) Math.ceil(200.0 / jvms);
            int calls = perJvm * jvms;
            double ideal = (calls - burst) / rate;
            for (long stagger : new long[] {0, 500}) {
                for (boolean shared : new boolean[] {false, true}) {
                    String label = "fleet " + jvms + (stagger > 0 ? " staggered" : " together")
                            + (shared ? " shared" : " alone");
                    if (!label.contains(only)) {
                        continue;
                    }
                    try (BenchRedis redis = shared ? BenchRedis.startOrNull() : null;
                         StandIn standIn = StandIn.start(rate, burst, StandIn.DEMO_KEY)) {
                        if (shared && redis == null) {
                            System.out.println("| " + jvms + " x " + 16 / jvms + " | | on | skipped: no redis-server"
                                    + " installed | | | |");
                            continue;
                        }
                        Run r = run(label, jvms, stagger, "0", shared ? "shared-limit=" + redis.url() : "", standIn,
                                "meta-llama/Llama-3.3-70B-Instruct-Turbo:" + perJvm + ":" + 16 / jvms);
                        double makespan = r.makespan(null);
                        System.out.printf(Locale.ROOT, "| %d x %d | %s | %s | %.0f %% (%d of %d) | %.2f (%.1f s) |"
                                + " %.2f | %.2f s |%n", jvms, 16 / jvms, stagger > 0 ? "one every " + stagger + " ms"
                                : "together", shared ? "on" : "off", 100.0 * r.ok / r.calls, r.ok, r.calls,
                                makespan / ideal, makespan, r.count429(null, null) / (double) calls, r.longestPause());
                    }
                }
            }
        }
        warmUp = false;
        System.out.println();
    }

    /**
     * What a booking in Redis adds to a call (issue 17): one JVM, one thread, 500 calls to an unlimited stand-in, with
     * the agent, shared-limit off and on, alternating, three runs each: the mean of the runs' medians and 99th
     * percentiles. (Without the agent once, for reference.)
     */
    private void sharedLatency() throws Exception {
        if (!"latency".contains(only) && !only.isEmpty()) {
            return;
        }
        System.out.printf("What shared-limit adds to a call: 1 JVM x 1 thread, 500 calls, no limit, Redis on loopback;"
                + " 3 runs each, alternating%n%n");
        System.out.println("| set-up | median call | 99th percentile |");
        System.out.println("|---|---|---|");
        try (BenchRedis redis = BenchRedis.startOrNull()) {
            if (redis == null) {
                System.out.println("| shared-limit on | skipped: no redis-server installed | |");
                return;
            }
            String[] labels = {"no agent", "agent, shared-limit off", "agent, shared-limit on"};
            String[] settings = {null, "", "shared-limit=" + redis.url()};
            double[] p50 = new double[3];
            double[] p99 = new double[3];
            int[] runs = new int[3];
            for (int round = 0; round < 3; round++) {
                for (int s = round == 0 ? 0 : 1; s < 3; s++) {
                    try (StandIn standIn = StandIn.start(0, 1, StandIn.DEMO_KEY)) {
                        Run r = run("latency " + labels[s], 1, 0, "0", settings[s], standIn, "model-l:500:1");
                        p50[s] += r.p50Micros / 1e3;
                        p99[s] += r.p99Micros / 1e3;
                        runs[s]++;
                    }
                }
            }
            for (int s = 0; s < 3; s++) {
                System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms |%n", labels[s], p50[s] / runs[s],
                        p99[s] / runs[s]);
            }
        }
        System.out.println();
    }

    /** Table 1: one model, one JVM and a fleet of four. */
    private void oneModel() throws Exception {
        double rate = 10;
        int burst = 5;
        int calls = 200;
        double ideal = (calls - burst) / rate;
        System.out.printf(Locale.ROOT, "One model: %d calls, stand-in %.0f requests/s, burst %d; ideal makespan %.1f s"
                + "%n%n", calls, rate, burst, ideal);
        System.out.println("| client | JVMs x threads | succeeded | makespan / ideal | 429s per call |");
        System.out.println("|---|---|---|---|---|");
        String[][] setups = {
            {"OpenAI Java SDK, retries off, no agent", "0", null},
            {"OpenAI Java SDK defaults (2 retries), no agent", "default", null},
            {"SDK defaults + agent, throttle=off", "default", "throttle=off"},
            {"SDK defaults + agent, throttle=off, retry-budget=off", "default", "throttle=off,retry-budget=off"},
            {"SDK defaults + agent, throttle=adaptive (default)", "default", "throttle=adaptive"},
        };
        for (int[] shape : new int[][] {{1, 16}, {4, 4}}) {
            for (String[] setup : setups) {
                if (!setup[0].contains(only)) {
                    continue;
                }
                try (StandIn standIn = StandIn.start(rate, burst, StandIn.DEMO_KEY)) {
                    Run r = run(setup[0], shape[0], setup[1], setup[2], standIn,
                            "meta-llama/Llama-3.3-70B-Instruct-Turbo:" + calls / shape[0] + ":" + shape[1]);
                    double makespan = r.makespan(null);
                    System.out.printf(Locale.ROOT, "| %s | %d x %d | %.0f %% (%d) | %.2f (%.1f s) | %.2f |%n",
                            setup[0], shape[0], shape[1], 100.0 * r.ok / r.calls, r.ok, makespan / ideal, makespan,
                            r.count429(null, null) / (double) calls);
                }
            }
        }
        System.out.println();
    }

    /** Table 2: limits per model, by tokens, and 503s; each set-up's SDK retries as the label says. */
    private void togethersLimits() throws Exception {
        System.out.println("Together's limits as they are: per model, by tokens, and 503s (each JVM 1 x 16 threads)"
                + "\n");
        System.out.println("| scenario | set-up | succeeded | makespan / ideal | 429s per call | p95 call |");
        System.out.println("|---|---|---|---|---|---|");
        String twoModels = "two models: A 2 req/s (60 calls, 8 threads), B 20 req/s (200 calls, 8 threads)";
        String[] ab = {"model-a:60:8", "model-b:200:8"};
        twoModels(twoModels, "no agent, SDK retries off", "0", null, ab);
        twoModels(twoModels, "no agent, SDK defaults", "default", null, ab);
        twoModels(twoModels, "agent defaults, SDK retries off", "0", "", ab);
        twoModels("B alone", "agent defaults, SDK retries off", "0", "", "model-b:200:8");

        String tokens = "token-bound: 20 req/s, 4,000 tokens/s, 1,000 tokens a call (120 calls)";
        tokenBound(tokens, "no agent, SDK defaults", "default", null);
        tokenBound(tokens, "agent defaults, SDK retries off", "0", "");

        String overloaded = "20 % of in-limit requests get 503 (10 req/s, burst 5, 200 calls)";
        overloaded(overloaded, "no agent, SDK defaults", "default", null);
        overloaded(overloaded, "agent defaults, SDK retries off", "0", "");
    }

    private void twoModels(String scenario, String setup, String sdkRetries, String agent, String... workloads)
            throws Exception {
        if (!(scenario + setup).contains(only)) {
            return;
        }
        try (StandIn standIn = StandIn.start(0, 1, StandIn.DEMO_KEY)) {
            standIn.limitModel("model-a", 2, 2, 0, 0).limitModel("model-b", 20, 5, 0, 0);
            Run r = run(scenario + " " + setup, 1, sdkRetries, agent, standIn, workloads);
            List<String> spans = new ArrayList<>();
            if (workloads.length > 1) {
                double a = r.makespan("model-a");
                spans.add(String.format(Locale.ROOT, "A %.2f (%.1f s)", a / 29, a));
            }
            double b = r.makespan("model-b");
            spans.add(String.format(Locale.ROOT, "B %.2f (%.1f s)", b / 9.75, b));
            print(scenario, setup, r, String.join(", ", spans), String.format(Locale.ROOT, "%.2f",
                    r.count429(null, null) / (double) r.calls));
        }
    }

    private void tokenBound(String scenario, String setup, String sdkRetries, String agent) throws Exception {
        if (!(scenario + setup).contains(only)) {
            return;
        }
        try (StandIn standIn = StandIn.start(0, 1, StandIn.DEMO_KEY)) {
            standIn.limitModel("model-t", 20, 20, 4000, 4000);
            // "Say hello." is 3 prompt tokens to the stand-in; with max_tokens 997 a call costs 1,000.
            Run r = run(scenario + " " + setup, 1, sdkRetries, agent, standIn, "model-t:120:16:997");
            double ideal = (120 - 4) / 4.0;
            print(scenario, setup, r, String.format(Locale.ROOT, "%.2f (%.1f s)", r.makespan(null) / ideal,
                    r.makespan(null)), String.format(Locale.ROOT, "%.2f (token-limited %.2f; past the first round"
                    + " %.2f)", r.count429(null, null) / 120.0, r.count429(null, "dynamic_token_limited") / 120.0,
                    r.count429AfterFirstRound(16) / 120.0));
        }
    }

    private void overloaded(String scenario, String setup, String sdkRetries, String agent) throws Exception {
        if (!(scenario + setup).contains(only)) {
            return;
        }
        try (StandIn standIn = StandIn.start(10, 5, StandIn.DEMO_KEY)) {
            standIn.overload(0.2);
            Run r = run(scenario + " " + setup, 1, sdkRetries, agent, standIn, "model-o:200:16");
            // 200 successes take some 250 admitted requests when a fifth of them get 503.
            double ideal = (200 / 0.8 - 5) / 10;
            long overloads = r.requests.stream().filter(q -> q.status == 503).count();
            print(scenario, setup, r, String.format(Locale.ROOT, "%.2f (%.1f s)", r.makespan(null) / ideal,
                    r.makespan(null)), String.format(Locale.ROOT, "%.2f (503s %.2f)",
                    r.count429(null, null) / 200.0, overloads / 200.0));
        }
    }

    private static void print(String scenario, String setup, Run r, String makespan, String rateLimited) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f %% (%d) | %s | %s | %.1f s (max %.1f s) |%n", scenario, setup,
                100.0 * r.ok / r.calls, r.ok, makespan, rateLimited, r.p95Millis / 1e3, r.maxMillis / 1e3);
    }

    /** One row's run: its JVMs, each running the workloads, against the stand-in given. */
    private Run run(String label, int jvms, String sdkRetries, String agentSettings, StandIn standIn,
                    String... workloads) throws Exception {
        return run(label, jvms, 0, sdkRetries, agentSettings, standIn, workloads);
    }

    /** @param staggerMillis how long after the one before each JVM begins its calls (0: all at once) */
    private Run run(String label, int jvms, long staggerMillis, String sdkRetries, String agentSettings,
                    StandIn standIn, String... workloads) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<File> logs = new ArrayList<>();
        // Time enough for every JVM of the fleet to start on a busy machine before all begin at once.
        long firstStart = System.currentTimeMillis() + 3000L * jvms;
        for (int j = 0; j < jvms; j++) {
            String startAt = String.valueOf(firstStart + j * staggerMillis);
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + "/bin/java");
            if (warmUp) {
                command.add("-Dbench.warm-up=true");
            }
            if (agentSettings != null) {
                command.add("-javaagent:" + agentJar + "=hosts=127.0.0.1,log-level="
                        + System.getProperty("bench.agent.log-level", "warn")
                        + (agentSettings.isEmpty() ? "" : "," + agentSettings));
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(OpenAiLoad.class.getName());
            command.add(standIn.url());
            command.add(StandIn.DEMO_KEY);
            command.add(sdkRetries);
            command.add(startAt);
            command.addAll(Arrays.asList(workloads));
            File log = new File(out, slug(label) + "-" + jvms + "-" + j + ".log");
            logs.add(log);
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start());
        }
        for (Process p : processes) {
            p.waitFor();
        }
        Run run = new Run(standIn.requests());
        for (File log : logs) {
            String text = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
            Matcher m = RESULT.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no RESULT line in " + log);
            }
            run.ok += Integer.parseInt(m.group(1));
            run.calls += Integer.parseInt(m.group(2));
            Matcher p = P95.matcher(text);
            if (p.find()) {
                run.p95Millis = Math.max(run.p95Millis, Long.parseLong(p.group(1)));
                run.maxMillis = Math.max(run.maxMillis, Long.parseLong(p.group(2)));
            }
            Matcher l = LATENCY.matcher(text);
            if (l.find()) {
                run.p50Micros = Math.max(run.p50Micros, Long.parseLong(l.group(1)));
                run.p99Micros = Math.max(run.p99Micros, Long.parseLong(l.group(2)));
            }
        }
        return run;
    }

    /** What one row's run did, as its JVMs and the stand-in saw it. */
    private static final class Run {
        final List<RecordedRequest> requests;
        int ok;
        int calls;
        long p95Millis;
        long maxMillis;
        long p50Micros;
        long p99Micros;

        Run(List<RecordedRequest> requests) {
            this.requests = requests;
        }

        private List<RecordedRequest> of(String model) {
            return model == null ? requests
                    : requests.stream().filter(q -> model.equals(model(q))).collect(Collectors.toList());
        }

        /** The makespan as the server saw it, like the ideal: from the first request to the last one. */
        double makespan(String model) {
            List<RecordedRequest> q = of(model);
            return q.isEmpty() ? 0 : (q.get(q.size() - 1).receivedNanos - q.get(0).receivedNanos) / 1e9;
        }

        /**
         * The longest time between two requests at the server, in seconds: where it is far above the pace's interval,
         * no JVM had a call ready (a JVM's first call is slow while the others start), whatever the limiter did.
         */
        double longestPause() {
            long longest = 0;
            for (int i = 1; i < requests.size(); i++) {
                longest = Math.max(longest, requests.get(i).receivedNanos - requests.get(i - 1).receivedNanos);
            }
            return longest / 1e9;
        }

        long count429(String model, String refusal) {
            return of(model).stream().filter(q -> q.status == 429 && (refusal == null || refusal.equals(q.refusal)))
                    .count();
        }

        /**
         * 429s past the first round: the first request of each thread goes before any answer can have shown the
         * server's limits, so no client can pace it.
         */
        long count429AfterFirstRound(int threads) {
            return requests.subList(Math.min(threads, requests.size()), requests.size()).stream()
                    .filter(q -> q.status == 429).count();
        }

        private static String model(RecordedRequest q) {
            return ChatBody.model(q.bodyText());
        }
    }

    private static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
