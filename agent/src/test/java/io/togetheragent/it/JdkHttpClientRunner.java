package io.togetheragent.it;

import io.togetheragent.it.probe.JdkHttpClientProbe;
import java.util.List;

/** Runs {@link JdkHttpClientProbe}: the JDK's own java.net.http client. */
final class JdkHttpClientRunner implements ProbeRunner {
    @Override
    public ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs) {
        ChildJvm jvm = new ChildJvm().testClasses().option(jvmOptions.toArray(new String[0]));
        if (agentArgs != null) {
            jvm.agent(agentArgs);
        }
        return jvm.runMain(JdkHttpClientProbe.class.getName(), probeArgs);
    }
}
