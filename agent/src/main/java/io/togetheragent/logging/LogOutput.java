package io.togetheragent.logging;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * Where the agent's log lines go: standard error (default) or a file, one line per event, prefixed
 * {@code [together-agent]} and the level. File lines start with a timestamp, since no container runtime adds one.
 */
public final class LogOutput {
    private static volatile int threshold = Level.INFO.toInt();
    private static volatile PrintWriter file;

    private LogOutput() {}

    /**
     * Applies the log settings; returns a problem to report (the file could not be opened), or null.
     * Logging works before this is called, at INFO to standard error, so nothing said at start is lost.
     */
    public static synchronized String configure(String level, String logFile) {
        threshold = "off".equals(level) ? Integer.MAX_VALUE : Level.valueOf(level.toUpperCase(Locale.ROOT)).toInt();
        // Called again when a reloaded settings file changes the log settings.
        PrintWriter previous = file;
        if ("stderr".equals(logFile)) {
            file = null;
            if (previous != null) {
                previous.close();
            }
            return null;
        }
        try {
            Writer w = new OutputStreamWriter(new FileOutputStream(logFile, true), StandardCharsets.UTF_8);
            file = new PrintWriter(w, true);
            if (previous != null) {
                previous.close();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot open log-file '" + logFile + "' (" + e.getMessage() + "); logging to standard error";
        }
    }

    static boolean enabled(Level level) {
        return level.toInt() >= threshold;
    }

    static void write(Level level, String message) {
        String line = "[together-agent] " + level + " " + message;
        PrintWriter f = file;
        if (f != null) {
            synchronized (LogOutput.class) {
                f.println(Instant.now() + " " + line);
            }
        } else {
            // System.err may be replaced by the application later; always write to the current one.
            PrintStream err = System.err;
            err.println(line);
        }
    }
}
