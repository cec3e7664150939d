package io.togetheragent.it;

import io.togetheragent.it.probe.OkHttpProbe;
import java.util.List;

/** Runs {@link OkHttpProbe} against one OkHttp generation from {@code it-libs}. */
final class OkHttpRunner implements ProbeRunner {
    private final String libDir;

    OkHttpRunner(String libDir) {
        this.libDir = libDir;
    }

    @Override
    public ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs) {
        ChildJvm jvm = new ChildJvm().libs(libDir).option(jvmOptions.toArray(new String[0]));
        if (agentArgs != null) {
            jvm.agent(agentArgs);
        }
        return jvm.runMain(OkHttpProbe.class.getName(), probeArgs);
    }

    @Override
    public String toString() {
        return libDir;
    }
}
