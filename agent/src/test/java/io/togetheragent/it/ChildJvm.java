package io.togetheragent.it;

import io.togetheragent.it.probe.ProbeArgs;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts a child JVM, with the packaged agent jar attached when agent settings are given, on the JDK named by
 * {@code it.java.home}, and collects what it printed.
 */
public final class ChildJvm {
    public static final Path AGENT_JAR = Paths.get(System.getProperty("agent.jar", "target/together-agent.jar"));
    public static final Path TEST_APP_JAR = Paths.get(System.getProperty("test.app.jar",
            "../test-app/target/test-app.jar"));
    static final Path TEST_CLASSES = Paths.get(System.getProperty("it.test.classes", "target/test-classes"));
    static final Path LIBS = Paths.get(System.getProperty("it.libs", "target/it-libs"));
    private static final String JAVA = Paths.get(System.getProperty("it.java.home", System.getProperty("java.home")),
            "bin", "java").toString();

    private static final int TIMED_OUT = -1;

    /**
     * Child JVMs live a second or two, and CI starts some two thousand of them on two cores: without C2 and with
     * the serial collector each spends a quarter less CPU (measured: a behaviour suite's 24 runs took 33 s, then
     * 24 s). Neither changes what the agent does, only how fast the JVM gets through its start.
     */
    private static final List<String> SHORT_LIVED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private String agentArgs;
    private boolean withAgent;

    /** Attaches the agent with these comma-separated settings (empty for none). */
    public ChildJvm agent(String args) {
        withAgent = true;
        agentArgs = args;
        return this;
    }

    public ChildJvm option(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    public ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The test classes plus every jar of {@code it-libs/<libDir>}. */
    public ChildJvm libs(String libDir) {
        if (!classPath.contains(TEST_CLASSES.toString())) {
            testClasses();
        }
        classPath.addAll(jars(libDir));
        return this;
    }

    /** The bench module's OpenAI Java SDK service ({@code io.togetheragent.bench.OpenAiLoad}) and its libraries. */
    public ChildJvm openAiSdk() {
        Path bench = Paths.get(System.getProperty("bench.dir", "../bench/target"));
        classPath.add(bench.resolve("bench.jar").toString());
        try (Stream<Path> files = Files.list(bench.resolve("lib"))) {
            files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted().forEach(classPath::add);
        } catch (IOException e) {
            throw new IllegalStateException("no " + bench.resolve("lib") + "; build the bench module first", e);
        }
        return this;
    }

    /** The test classes on the class path, for probes that need only the JDK. */
    public ChildJvm testClasses() {
        classPath.add(TEST_CLASSES.toString());
        return this;
    }

    /** Client libraries copied with their whole dependency trees by the modules under {@code client-libs}. */
    static final Path CLIENT_LIBS = Paths.get(System.getProperty("it.client.libs", "../client-libs"));

    /** Every jar of {@code it-libs/<libDir>}, or of the module {@code client-libs/<libDir>}. */
    static List<String> jars(String libDir) {
        Path dir = Files.isDirectory(LIBS.resolve(libDir)) ? LIBS.resolve(libDir)
                : CLIENT_LIBS.resolve(libDir).resolve("target").resolve("libs");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("no libraries in " + dir + "; run mvn verify", e);
        }
    }

    public Result runMain(String mainClass, String... args) {
        return run(mainCommand(mainClass, args));
    }

    public Result runJar(Path jar, String... args) {
        List<String> cmd = command();
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /** Starts the main class and returns at once; the caller waits for it with {@link Started#finish()}. */
    public Started start(String mainClass, String... args) throws IOException {
        return start(mainCommand(mainClass, args));
    }

    private List<String> mainCommand(String mainClass, String... args) {
        List<String> cmd = command();
        if (!classPath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, classPath));
        }
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        if (withAgent) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        cmd.addAll(SHORT_LIVED);
        cmd.addAll(jvmOptions);
        return cmd;
    }

    private Started start(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        // The child must not inherit agent settings from whoever runs the tests.
        pb.environment().keySet().removeIf(k -> k.startsWith("TOGETHER_"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        return new Started(pb.start(), out, err, cmd);
    }

    private Result run(List<String> cmd) {
        try {
            Started child = start(cmd);
            Result r = child.finish();
            if (r.exitCode == TIMED_OUT) {
                throw new AssertionError("child JVM did not finish in 120 s\n" + r.describe());
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A child JVM still running. */
    public static final class Started {
        public final Process process;
        private final Path out;
        private final Path err;
        private final List<String> cmd;

        Started(Process process, Path out, Path err, List<String> cmd) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.cmd = cmd;
        }

        /** Waits, at most a minute, until the child has printed this text on standard output. */
        public void awaitOutput(String text) throws IOException, InterruptedException {
            await(out, text);
        }

        /** Waits, at most a minute, until the child has printed this text on standard error (the agent's log). */
        public void awaitError(String text) throws IOException, InterruptedException {
            await(err, text);
        }

        private static void await(Path printed, String text) throws IOException, InterruptedException {
            for (int i = 0; i < 600 && !Files.readString(printed, StandardCharsets.UTF_8).contains(text); i++) {
                Thread.sleep(100);
            }
        }

        /** Waits for the child to end (killing it after 120 s) and collects what it printed. */
        public Result finish() throws IOException, InterruptedException {
            int exit = TIMED_OUT;
            if (process.waitFor(120, TimeUnit.SECONDS)) {
                exit = process.exitValue();
            } else {
                process.destroyForcibly().waitFor();
            }
            Result r = new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), cmd);
            Files.delete(out);
            Files.delete(err);
            return r;
        }
    }

    /** What a child JVM printed. */
    public static final class Result {
        public final int exitCode;
        public final String stdout;
        public final String stderr;
        private final List<String> cmd;

        Result(int exitCode, String stdout, String stderr, List<String> cmd) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.cmd = cmd;
        }

        /** The agent's log lines (standard error lines starting with its prefix). */
        public List<String> agentLines() {
            return stderr.lines().filter(l -> l.startsWith("[together-agent]")).collect(Collectors.toList());
        }

        public long agentLinesContaining(String text) {
            return agentLines().stream().filter(l -> l.contains(text)).count();
        }

        /**
         * Lines saying a call "got 429" and then {@code text}, whether or not the adapter could tell which limit the
         * 429 reported ("got 429 (request limit): "): some read the error body, some cannot.
         */
        public long agentLinesOf429(String text) {
            return agentLines().stream().filter(l -> l.replaceFirst("got 429 \\((request|token) limit\\)", "got 429")
                    .contains("got 429: " + text)).count();
        }

        /** What a probe run with {@code --report-live} counted of the agent's calls still reachable as it ended. */
        public long liveCalls() {
            return stdout.lines().filter(l -> l.startsWith("LIVE " + ProbeArgs.CALL_CLASS + " "))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElseThrow(() -> new AssertionError("the probe counted no live call\n" + describe()));
        }

        /** For assertion messages: the command and everything it printed. */
        public String describe() {
            return "command: " + String.join(" ", cmd) + "\nexit: " + exitCode + "\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }
}
