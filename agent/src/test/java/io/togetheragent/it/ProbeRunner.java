package io.togetheragent.it;

import java.util.List;

/** Runs one HTTP client's probe application in a child JVM. */
public interface ProbeRunner {
    /**
     * @param agentArgs the agent's settings, or null to run without the agent
     * @param jvmOptions extra JVM options, such as system properties
     */
    ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs);
}
