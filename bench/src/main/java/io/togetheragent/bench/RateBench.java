package io.togetheragent.bench;

import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rate benchmark: 200 chat calls against the stand-in at 10 requests/s, burst 5, from one JVM of 16 threads
 * and from a fleet of 4 JVMs of 4 threads sharing one key; for each client set-up, the share of calls that
 * succeeded, the makespan (first request to last, at the server) against the ideal ((calls - burst) / rate) and
 * the 429s drawn per call. The JVMs of a fleet begin their calls at one agreed time.
 *
 * <p>Usage: {@code RateBench <together-agent.jar> <output directory> [only rows whose label contains this]}; the
 * system property {@code bench.agent.log-level} (default warn) sets the agent's log level in the clients.
 */
public final class RateBench {
    private static final double RATE = 10;
    private static final int BURST = 5;
    private static final int CALLS = 200;
    private static final Pattern RESULT = Pattern.compile("RESULT ok=(\\d+) calls=\\d+ start=(\\d+) end=(\\d+)");

    private final String agentJar;
    private final File out;
    private final String only;

    private RateBench(String agentJar, File out, String only) {
        this.agentJar = agentJar;
        this.out = out;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        RateBench bench = new RateBench(new File(args[0]).getAbsolutePath(), new File(args[1]),
                args.length > 2 ? args[2] : "");
        bench.out.mkdirs();
        System.out.printf(Locale.ROOT, "java %s; %d cores; %d calls, stand-in %.0f requests/s, burst %d;"
                        + " ideal makespan %.1f s%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), CALLS, RATE, BURST, (CALLS - BURST) / RATE);
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
                bench.row(setup[0], setup[1], setup[2], shape[0], shape[1]);
            }
        }
    }

    private void row(String label, String sdkRetries, String agentSettings, int jvms, int threads) throws Exception {
        if (!label.contains(only)) {
            return;
        }
        try (StandIn standIn = StandIn.start(RATE, BURST, StandIn.DEMO_KEY)) {
            List<Process> processes = new ArrayList<>();
            List<File> logs = new ArrayList<>();
            // Time enough for every JVM of the fleet to start on a busy machine before all begin at once.
            String startAt = String.valueOf(System.currentTimeMillis() + 3000L * jvms);
            for (int j = 0; j < jvms; j++) {
                List<String> command = new ArrayList<>();
                command.add(System.getProperty("java.home") + "/bin/java");
                if (agentSettings != null) {
                    command.add("-javaagent:" + agentJar + "=hosts=127.0.0.1,log-level="
                            + System.getProperty("bench.agent.log-level", "warn") + "," + agentSettings);
                }
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(OpenAiLoad.class.getName());
                command.add(standIn.url());
                command.add(StandIn.DEMO_KEY);
                command.add(String.valueOf(CALLS / jvms));
                command.add(String.valueOf(threads));
                command.add(sdkRetries);
                command.add(startAt);
                File log = new File(out, slug(label) + "-" + jvms + "x" + threads + "-" + j + ".log");
                logs.add(log);
                processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start());
            }
            for (Process p : processes) {
                p.waitFor();
            }
            int ok = 0;
            for (File log : logs) {
                Matcher m = RESULT.matcher(new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8));
                if (!m.find()) {
                    throw new IllegalStateException("no RESULT line in " + log);
                }
                ok += Integer.parseInt(m.group(1));
            }
            // The makespan as the server saw it, like the ideal: from the first request to the last one.
            List<RecordedRequest> requests = standIn.requests();
            double makespan = (requests.get(requests.size() - 1).receivedNanos - requests.get(0).receivedNanos) / 1e9;
            double ideal = (CALLS - BURST) / RATE;
            System.out.printf(Locale.ROOT, "| %s | %d x %d | %.0f %% (%d) | %.2f (%.1f s) | %.2f |%n", label, jvms,
                    threads, 100.0 * ok / CALLS, ok, makespan / ideal, makespan,
                    standIn.count(429) / (double) CALLS);
        }
    }

    private static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
