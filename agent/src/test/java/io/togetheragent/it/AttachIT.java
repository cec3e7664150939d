package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.LateAgentProbe;
import io.togetheragent.it.probe.LateHttpClient5Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java -jar together-agent.jar attach <pid> [settings]} on a running service. */
class AttachIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    @Test
    void attachesToARunningJvmAndCoversItsClientBuiltBefore() throws Exception {
        assertAttachedBy(pid -> {
            ChildJvm.Result attach = new ChildJvm().runJar(ChildJvm.AGENT_JAR, "attach", pid, SETTINGS);
            assertEquals(0, attach.exitCode, attach.describe());
            assertTrue(attach.stdout.contains("together-agent loaded into JVM " + pid), attach.describe());
        });
    }

    @Test
    void jcmdLoadsItToo() throws Exception {
        assertAttachedBy(pid -> {
            Path jcmd = Path.of(System.getProperty("it.java.home", System.getProperty("java.home")), "bin", "jcmd");
            // jcmd splits a bare name=value argument at '=': the settings go in quotes.
            Process p = new ProcessBuilder(jcmd.toString(), pid, "JVMTI.agent_load",
                    ChildJvm.AGENT_JAR.toString(), "\"" + SETTINGS + "\"").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
        });
    }

    @Test
    void anApacheHttpClientBuiltBeforeTheAttachIsCoveredToo() throws Exception {
        Path signal = Files.createTempDirectory("attach").resolve("attached");
        ChildJvm.Started service = new ChildJvm().libs("httpclient5-newest")
                .start(LateHttpClient5Probe.class.getName(), signal.toString(), "--url", url());
        service.awaitOutput("READY");
        enqueue429(2, Map.of("retry-after-ms", "10"));
        String pid = String.valueOf(service.process.pid());
        assertEquals(0, new ChildJvm().runJar(ChildJvm.AGENT_JAR, "attach", pid, SETTINGS).exitCode);
        Files.createFile(signal);
        ChildJvm.Result r = service.finish();
        assertEquals(200, Outcome.parse(r.stdout).get(1).status, r.describe());
        assertEquals(4, server.requestCount(), r.describe());
    }

    private interface Attacher {
        void attach(String pid) throws Exception;
    }

    private void assertAttachedBy(Attacher attacher) throws Exception {
        Path signal = Files.createTempDirectory("attach").resolve("attached");
        ChildJvm.Started service = new ChildJvm().testClasses()
                .start(LateAgentProbe.class.getName(), signal.toString(), "--url", url());
        service.awaitOutput("READY");
        enqueue429(2, Map.of("retry-after-ms", "10"));
        attacher.attach(String.valueOf(service.process.pid()));
        Files.createFile(signal);
        ChildJvm.Result r = service.finish();
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(200, outcomes.get(1).status, r.describe());
        // One call before the agent, then one that met two 429s.
        assertEquals(4, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("started: mode=retry, hosts=127.0.0.1"), r.describe());
    }

    @Test
    void saysClearlyWhenItCannotAttach() {
        ChildJvm.Result r = new ChildJvm().runJar(ChildJvm.AGENT_JAR, "attach", "999999999");
        assertEquals(1, r.exitCode, r.describe());
        assertTrue(r.stderr.contains("together-agent could not attach to JVM 999999999: "), r.describe());
        ChildJvm.Result usage = new ChildJvm().runJar(ChildJvm.AGENT_JAR);
        assertEquals(2, usage.exitCode, usage.describe());
        assertTrue(usage.stderr.contains("usage: java -jar together-agent.jar attach <pid> [settings]"),
                usage.describe());
    }
}
