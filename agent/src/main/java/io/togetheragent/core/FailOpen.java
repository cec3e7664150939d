package io.togetheragent.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent's own failures go. The caller carries on as if the agent were absent; the operator is
 * told once per place, so a broken adapter cannot flood the log.
 */
public final class FailOpen {
    private static final Logger log = LoggerFactory.getLogger(FailOpen.class);
    private static final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** Tests name a place here to make the agent fail there on purpose. */
    private static final String INJECTED_FAULT = System.getProperty("together.agent.internal.fault", "");

    private FailOpen() {}

    public static void report(String where, Throwable t) {
        try {
            if (reported.add(where)) {
                StackTraceElement[] trace = t.getStackTrace();
                log.error("internal error in {}: {} at {}; requests proceed as if the agent were absent there"
                                + " (said once)", where, t, trace.length > 0 ? trace[0] : "?");
            }
        } catch (Throwable ignored) {
            // Logging itself failed: nothing more can be done without risking the application.
        }
    }

    /**
     * What an asynchronous call ends with when the agent fails to send its next attempt from the scheduler, where
     * the last answer is already read away: a failure the application handles as a broken connection, rather than
     * a call that never ends.
     */
    public static java.io.IOException retryNotSent(Throwable cause) {
        report("sending a retry", cause);
        return new java.io.IOException("together-agent could not send the retry of this call (see its log)", cause);
    }

    /** Throws when a test asked for a fault at this place; a no-op in production. */
    public static void injectFault(String where) {
        if (INJECTED_FAULT.equals(where)) {
            throw new IllegalStateException("fault injected by together.agent.internal.fault=" + where);
        }
    }
}
