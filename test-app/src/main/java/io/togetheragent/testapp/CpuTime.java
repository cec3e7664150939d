package io.togetheragent.testapp;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time this JVM's threads have taken so far, the JIT compiler threads' apart (compiling is a one-off cost
 * of warming up, not one of each call, yet on 2 cores it went on through 160,000 warm-up calls).
 *
 * <p>Read per thread from Linux's run-time counters, in nanoseconds: the JVM's own process counter and the
 * per-thread utime in /proc tick in 10 ms, 2 µs a call in a phase of 5,000 calls, two whole points of the 2 % the
 * agent may cost. A thread that ends between two readings takes the time it had since the first with it, so the
 * test-app keeps its threads for the whole run. Elsewhere, the JVM's process counter less nothing for the JIT.
 */
final class CpuTime {
    private static final File TASKS = new File("/proc/self/task");

    /** Thread id to nanoseconds so far; null where Linux's counters cannot be read. */
    private final Map<String, Long> threads;
    private final long process;

    private CpuTime(Map<String, Long> threads, long process) {
        this.threads = threads;
        this.process = process;
    }

    static CpuTime now() {
        Map<String, Long> threads = readThreads();
        return new CpuTime(threads, threads == null ? processNanos() : 0);
    }

    /**
     * The nanoseconds of CPU since this reading: the calls' (every thread but the JIT compiler's) and the JIT
     * compiler threads' (0 where they cannot be told apart), from one reading of the counters.
     */
    Used since() {
        if (threads == null) {
            return new Used(processNanos() - process, 0);
        }
        Map<String, Long> now = readThreads();
        if (now == null) {
            return new Used(0, 0);
        }
        long calls = 0;
        long jit = 0;
        for (Map.Entry<String, Long> thread : now.entrySet()) {
            long used = thread.getValue() - threads.getOrDefault(thread.getKey(), 0L);
            if (thread.getKey().startsWith("jit ")) {
                jit += used;
            } else {
                calls += used;
            }
        }
        return new Used(calls, jit);
    }

    /** CPU nanoseconds used between two readings. */
    static final class Used {
        final long calls;
        final long jit;

        private Used(long calls, long jit) {
            this.calls = calls;
            this.jit = jit;
        }
    }

    /** Thread id ("jit " before a compiler thread's) to its nanoseconds on a CPU, or null off Linux. */
    private static Map<String, Long> readThreads() {
        File[] tasks = TASKS.listFiles();
        if (tasks == null) {
            return null;
        }
        Map<String, Long> threads = new HashMap<>();
        for (File task : tasks) {
            try {
                String name = read(new File(task, "comm")).trim();
                String runNanos = read(new File(task, "schedstat")).trim().split(" ")[0];
                // Linux keeps 15 characters of a thread's name: "C2 CompilerThread0" is "C2 CompilerThre".
                boolean jit = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
                threads.put((jit ? "jit " : "") + task.getName(), Long.parseLong(runNanos));
            } catch (IOException | RuntimeException ended) {
                // A thread that ended as it was read: its time is lost, as it would be a moment later.
            }
        }
        return threads.isEmpty() ? null : threads;
    }

    private static String read(File file) throws IOException {
        return new String(Files.readAllBytes(file.toPath()), StandardCharsets.UTF_8);
    }

    private static long processNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }
}
