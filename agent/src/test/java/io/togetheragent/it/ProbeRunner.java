package io.togetheragent.it;

import io.togetheragent.it.probe.JdkHttpClientProbe;
import io.togetheragent.it.probe.OkHttpProbe;
import io.togetheragent.it.probe.UrlConnectionProbe;
import java.util.List;

/** Runs one HTTP client's probe application in a child JVM, with that client's libraries. */
public final class ProbeRunner {
    private final Class<?> probe;
    private final String libDir;

    /**
     * @param probe the probe's main class
     * @param libDir the directory under {@code it-libs} holding the client library, or null for a JDK client
     */
    private ProbeRunner(Class<?> probe, String libDir) {
        this.probe = probe;
        this.libDir = libDir;
    }

    static ProbeRunner okHttp(String libDir) {
        return new ProbeRunner(OkHttpProbe.class, libDir);
    }

    static ProbeRunner jdkHttpClient() {
        return new ProbeRunner(JdkHttpClientProbe.class, null);
    }

    static ProbeRunner urlConnection() {
        return new ProbeRunner(UrlConnectionProbe.class, null);
    }

    /**
     * @param agentArgs the agent's settings, or null to run without the agent
     * @param jvmOptions extra JVM options, such as system properties
     */
    public ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs) {
        ChildJvm jvm = libDir == null ? new ChildJvm().testClasses() : new ChildJvm().libs(libDir);
        jvm.option(jvmOptions.toArray(new String[0]));
        if (agentArgs != null) {
            jvm.agent(agentArgs);
        }
        return jvm.runMain(probe.getName(), probeArgs);
    }

    @Override
    public String toString() {
        return probe.getSimpleName() + (libDir == null ? "" : " on " + libDir);
    }
}
