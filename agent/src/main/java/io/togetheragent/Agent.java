package io.togetheragent;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.metrics.Summary;
import io.togetheragent.core.retry.Lane;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.ConfigReload;
import io.togetheragent.core.settings.Mode;
import io.togetheragent.core.settings.Settings;
import io.togetheragent.core.settings.SettingsLoader;
import io.togetheragent.instrumentation.AgentJar;
import io.togetheragent.instrumentation.Installer;
import io.togetheragent.jmx.Jmx;
import io.togetheragent.logging.AgentLogProvider;
import io.togetheragent.logging.LogOutput;
import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the settings, starts logging and installs the client adapters. */
public final class Agent {
    static {
        // Before the first logger below.
        AgentLogProvider.bindFirst();
    }

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static boolean started;

    private Agent() {}

    /** @param gate where the weaver goes when the agent starts with the JVM ({@code StartGate}); else null */
    public static synchronized void start(String args, Instrumentation inst, File jar,
                                          Consumer<ClassFileTransformer> gate) {
        if (started) {
            log.info("already running in this JVM; the second start is ignored");
            return;
        }
        started = true;
        try {
            SettingsLoader.Result loaded = SettingsLoader.fromEnvironment(args);
            Settings settings = loaded.settings;
            String logProblem = LogOutput.configure(settings.logLevel(), settings.logFile());
            for (String problem : loaded.problems) {
                log.error(problem);
            }
            if (logProblem != null) {
                log.error(logProblem);
            }
            AgentJar.set(jar);
            if (settings.mode() == Mode.OFF) {
                // One line, not two: this thread is a daemon, and a JVM that ends soon after it starts may stop it
                // between them.
                log.info("together-agent {} started: {}; mode=off: nothing installed, the application runs as if the"
                        + " agent were absent", AgentJar.version(), settings.describe());
                return;
            }
            log.info("together-agent {} started: {}", AgentJar.version(), settings.describe());
            RetryPolicy.install(new RetryPolicy(settings));
            // The summary timer and the JMX beans start with the first Together request, not here.
            Metrics.onNewHost(host -> {
                Summary.startOnce();
                Jmx.hostSeen(host);
            });
            Lane.onNewLane(Jmx::laneSeen);
            ConfigReload.start(loaded);
            Installer.install(inst, gate);
        } catch (Throwable t) {
            FailOpen.report("agent start", t);
        }
    }
}
