package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.OkHttpProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from their four sources, bad values and the log settings, through the real agent. */
class SettingsIT extends StandInTest {
    @TempDir
    Path dir;

    /** One call through OkHttp 5 that meets ten 429s. */
    private ChildJvm.Result call(ChildJvm jvm) {
        enqueue429(10, Map.of("retry-after-ms", "10"));
        return jvm.libs("okhttp-5").runMain(OkHttpProbe.class.getName(), "--url", url());
    }

    @Test
    void theAgentArgumentWinsOverSystemPropertyEnvironmentAndFile() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "max-retries=4\nhosts=127.0.0.1\nmax-delay=4s\nbase-delay=40ms\n");
        ChildJvm.Result r = call(new ChildJvm().agent("max-retries=1")
                .option("-Dtogether.agent.max-retries=2", "-Dtogether.agent.config=" + file,
                        "-Dtogether.agent.max-delay=2s")
                .env("TOGETHER_AGENT_MAX_RETRIES", "3").env("TOGETHER_AGENT_MAX_DELAY", "3s")
                .env("TOGETHER_AGENT_BASE_DELAY", "30ms"));
        assertEquals(1, r.agentLinesContaining("max-retries=1, max-wait=1m, base-delay=30ms, max-delay=2s"),
                r.describe());
        // One retry, as the agent argument says: two requests.
        assertEquals(2, server.requestCount(), r.describe());
    }

    @Test
    void anInvalidValueIsOneErrorLineAndTheDefaultIsUsed() {
        ChildJvm.Result r = call(new ChildJvm().agent("hosts=127.0.0.1,base-delay=20ms,max-retries=lots"));
        List<String> errors = r.agentLines().stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(List.of("[together-agent] ERROR invalid value 'lots' for setting 'max-retries' (expected a whole"
                + " number); using the default '8'"), errors, r.describe());
        // The default of 8 retries: nine of the ten scripted 429s reach the server.
        assertEquals(9, server.requestCount(), r.describe());
    }

    @Test
    void logLinesGoToTheLogFileWithATimestamp() throws Exception {
        Path log = dir.resolve("agent.log");
        ChildJvm.Result r = call(new ChildJvm().agent("hosts=127.0.0.1,base-delay=20ms,max-retries=1,log-file=" + log));
        assertTrue(r.agentLines().isEmpty(), r.describe());
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z \\[together-agent] INFO together-agent \\S+"
                + " started: .*"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("WARN") && l.contains("giving up")), lines.toString());
    }

    @Test
    void logLevelWarnKeepsOnlyWarningsAndErrors() {
        ChildJvm.Result r = call(new ChildJvm().agent("hosts=127.0.0.1,base-delay=20ms,max-retries=1,log-level=warn"));
        assertEquals(0, r.agentLinesContaining(" INFO "), r.describe());
        assertEquals(1, r.agentLinesContaining(" WARN "), r.describe());
    }
}
