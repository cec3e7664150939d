package io.togetheragent.it.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * With {@code --watch-waits}: looks every few milliseconds at the application's threads waiting inside the agent
 * (parked or asleep with an agent frame on their stack) and notes the monitors they hold. A virtual thread that
 * waits holding a monitor pins its carrier on Java 21 to 23, so a service on virtual threads whose calls all wait
 * out a cool-down would have no carrier left for anything else. As the JVM ends it prints
 * {@code WAITS_IN_AGENT <samples that saw one> HOLDING <most monitors one held> <their classes>}, and the stack
 * of the first such wait that held one.
 */
final class WaitWatch implements Runnable {
    private static final long EVERY_MILLIS = 5;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile int samplesWithAWait;
    private volatile int mostHeld;
    private final Set<String> heldClasses = new TreeSet<>();
    /** Where the first wait holding a monitor was seen, so that a failure says where to look. */
    private String firstHeldAt;

    static void start() {
        WaitWatch watch = new WaitWatch();
        Thread t = new Thread(watch, "probe-wait-watch");
        t.setDaemon(true);
        t.start();
        Runtime.getRuntime().addShutdownHook(new Thread(watch::report));
    }

    @Override
    public void run() {
        while (true) {
            sample();
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        boolean sawOne = false;
        for (ThreadInfo info : threads.dumpAllThreads(true, false)) {
            if (info == null || info.getThreadName().startsWith("together-agent") || !waitsInTheAgent(info)) {
                continue;
            }
            sawOne = true;
            MonitorInfo[] held = info.getLockedMonitors();
            synchronized (heldClasses) {
                mostHeld = Math.max(mostHeld, held.length);
                Arrays.stream(held).forEach(m -> heldClasses.add(m.getClassName()));
                if (held.length > 0 && firstHeldAt == null) {
                    firstHeldAt = info.getThreadName() + " " + info.getThreadState() + " holding "
                            + Arrays.toString(held) + " at\n\t" + Arrays.stream(info.getStackTrace())
                                    .map(String::valueOf).collect(java.util.stream.Collectors.joining("\n\t"));
                }
            }
        }
        if (sawOne) {
            samplesWithAWait++;
        }
    }

    private static boolean waitsInTheAgent(ThreadInfo info) {
        Thread.State state = info.getThreadState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(info.getStackTrace()).anyMatch(f -> isTheAgents(f.getClassName()));
    }

    /** The agent's classes, not the tests' (the probes and the stand-in share its package's root). */
    static boolean isTheAgents(String className) {
        return className.startsWith("io.togetheragent.") && !className.startsWith("io.togetheragent.it.")
                && !className.startsWith("io.togetheragent.testapp.");
    }

    private void report() {
        synchronized (heldClasses) {
            System.out.println("WAITS_IN_AGENT " + samplesWithAWait + " HOLDING " + mostHeld + " " + heldClasses);
            if (firstHeldAt != null) {
                System.out.println("FIRST_HELD_AT " + firstHeldAt);
            }
        }
    }
}
