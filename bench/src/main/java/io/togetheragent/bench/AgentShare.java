package io.togetheragent.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The agent's own share of a JVM's CPU samples, from a flight recording: a sample counts as the agent's when the
 * first frame from the top that is not a JDK utility (strings, collections, atomics, number parsing) is an agent
 * class. A client's or the JDK's networking code called by the agent is not counted: without the agent it would
 * run as well. Steadier than throughput on a shared machine, which moves by more than the agent costs.
 *
 * <p>Usage: {@code AgentShare RECORDING.jfr [top] [from-to]}: prints {@code samples agent-samples share top-frames};
 * with {@code from-to} (epoch milliseconds, as the test-app's summary line gives its timed calls), only the samples
 * taken between the two: the warm-up before them runs partly in unoptimised code, which a steady state does not.
 */
public final class AgentShare {
    private static final String[] UTILITIES = {"java.lang.", "java.util.", "java.math.", "java.nio.charset.",
        "jdk.internal.math.", "jdk.internal.util.", "jdk.internal.misc.", "sun.nio.cs."};

    private AgentShare() {}

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        if (args.length > 2) {
            String[] window = args[2].split("-");
            from = Long.parseLong(window[0]);
            to = Long.parseLong(window[1]);
        }
        long samples = 0;
        long agent = 0;
        Map<String, Long> byMethod = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            long at = e.getStartTime().toEpochMilli();
            if (at < from || at > to) {
                continue;
            }
            samples++;
            String method = agentMethod(e.getStackTrace().getFrames());
            if (method != null) {
                agent++;
                byMethod.merge(method, 1L, Long::sum);
            }
        }
        String frames = byMethod.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(m -> m.getKey() + " " + m.getValue()).collect(Collectors.joining(", "));
        System.out.printf("%d %d %.1f%% %s%n", samples, agent, samples == 0 ? 0.0 : 100.0 * agent / samples,
                frames.isEmpty() ? "-" : frames);
    }

    /** The agent method a sample is in, or null when it is not the agent's. */
    private static String agentMethod(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (isUtility(type)) {
                continue;
            }
            boolean agents = type.startsWith("io.togetheragent.") && !type.startsWith("io.togetheragent.testapp.");
            return agents ? type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() : null;
        }
        return null;
    }

    private static boolean isUtility(String type) {
        for (String prefix : UTILITIES) {
            if (type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
