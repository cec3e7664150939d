package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.OperatorProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings file named by {@code config} is watched: changes apply to live traffic; a bad file changes nothing. */
class ReloadIT extends StandInTest {
    @Test
    void aChangedFileAppliesWithinTheIntervalAndAnInvalidOneKeepsTheLastGoodSettings() throws Exception {
        Path dir = TempDirs.create("reload");
        Path file = dir.resolve("together-agent.properties");
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Files.write(file, "max-retries=8\n".getBytes(StandardCharsets.UTF_8));
        server.enqueue(429, Map.of("retry-after-ms", "10"), BODY_429);
        server.enqueue(200, Map.of(), "{}");
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Started service = new ChildJvm()
                .agent("hosts=127.0.0.1,base-delay=10ms,config-reload-interval=1s,config=" + file).testClasses()
                .start(OperatorProbe.class.getName(), "--url", url(), "--steps", "call", "pause:" + first,
                        "await-attr:MaxRetries:0", "call", "pause:" + second, "sleep:2500", "call", "attrs");
        service.awaitOutput("PAUSE " + first);
        Files.write(file, "max-retries=0\n".getBytes(StandardCharsets.UTF_8));
        Files.createFile(first);
        service.awaitOutput("PAUSE " + second);
        Files.write(file, "max-retries=lots\n".getBytes(StandardCharsets.UTF_8));
        Files.createFile(second);
        ChildJvm.Result r = service.finish();

        List<Integer> statuses = Outcome.parse(r.stdout).stream().map(o -> o.status).toList();
        assertEquals(List.of(200, 429, 429), statuses, r.describe());
        // Call 1 retried once; calls 2 and 3 not at all, the bad file having changed nothing.
        assertEquals(4, server.requestCount(), r.describe());
        assertTrue(r.stdout.contains("ATTR MaxRetries 0\n"), r.describe());
        assertEquals(1, r.agentLinesContaining("INFO config file '" + file + "' changed: max-retries 8 -> 0"),
                r.describe());
        // Said once, though the file was looked at again and again.
        assertEquals(1, r.agentLinesContaining("WARN config file '" + file + "' changed, but invalid value 'lots'"
                + " for setting 'max-retries' (expected a whole number); the last good settings stay in force"),
                r.describe());
    }
}
