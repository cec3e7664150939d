package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the agent gets into a client's classes, and that a client it fails to get into works as without it. */
class WeavingIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private ChildJvm.Result runWithFault(String fault) {
        return ProbeRunner.urlConnection().run(SETTINGS, List.of("-Dtogether.agent.internal.fault=" + fault),
                "--url", url(), "--get");
    }

    @Test
    void whenTheBridgeCannotBeDefinedTheWholeAgentRunsFromTheBootClassPath() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = runWithFault("boot-bridge");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requests().size(), r.describe());
        assertEquals(1, r.agentLinesContaining("appended to the boot class path instead"), r.describe());
        // The very warning the bridge avoids.
        assertTrue(r.stderr.contains("Sharing is only supported for boot loader classes"), r.describe());
    }

    /**
     * The agent starts beside the application: here its start takes 2 s more, and the application's first call,
     * made at once, waits for it where its client's class loads, and is retried.
     */
    @Test
    void aCallMadeWhileTheAgentStartsWaitsForItAndIsRetried() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = runWithFault("slow-start");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requests().size(), r.describe());
        assertEquals(1, r.agentLinesContaining("started: mode=retry"), r.describe());
    }

    @Test
    void aClassThatCannotBeWovenLoadsAsItIs() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = runWithFault("weave");
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(1, server.requests().size(), r.describe());
        assertEquals(1, r.agentLinesContaining("internal error in instrumenting sun.net.www.protocol.http.Handler"),
                r.describe());
    }

    @Test
    void anAdapterThatCannotBeSetUpLeavesItsClientAsItIs() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = runWithFault("set-up");
        assertEquals(429, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(1, server.requests().size(), r.describe());
        assertEquals(1, r.agentLinesContaining("internal error in setting up"
                + " io.togetheragent.urlconnection.UrlConnectionInstrumentation"), r.describe());
    }
}
