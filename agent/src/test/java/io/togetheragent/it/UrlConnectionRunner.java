package io.togetheragent.it;

import io.togetheragent.it.probe.UrlConnectionProbe;
import java.util.List;

/** Runs {@link UrlConnectionProbe}: HttpURLConnection. */
final class UrlConnectionRunner implements ProbeRunner {
    @Override
    public ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs) {
        ChildJvm jvm = new ChildJvm().testClasses().option(jvmOptions.toArray(new String[0]));
        if (agentArgs != null) {
            jvm.agent(agentArgs);
        }
        return jvm.runMain(UrlConnectionProbe.class.getName(), probeArgs);
    }
}
