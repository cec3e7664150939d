package io.togetheragent.it.probe;

/**
 * An application that makes no HTTP call at all. It ends once the agent's start, which runs on a thread of its own,
 * is over: a JVM this short would otherwise end before it.
 */
public final class IdleProbe {
    public static void main(String[] args) throws InterruptedException {
        System.out.println("IDLE");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("together-agent-start")) {
                t.join(10_000);
            }
        }
    }
}
