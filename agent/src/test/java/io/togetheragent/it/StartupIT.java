package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.IdleProbe;
import io.togetheragent.it.probe.UrlConnectionProbe;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the agent costs a JVM at start: ASM loads only when a client class it hooks loads, and the JVM prints
 * nothing of its own about the agent (it used to warn that class-data sharing was off).
 */
class StartupIT extends StandInTest {
    private static final String CDS_WARNING = "Sharing is only supported for boot loader classes";

    private static long asmClasses(ChildJvm.Result r) {
        return r.stdout.lines().filter(l -> l.contains("io.togetheragent.shaded.org.objectweb.asm.")).count();
    }

    /** Lines on standard error that are not the agent's own. */
    private static List<String> jvmLines(ChildJvm.Result r) {
        return r.stderr.lines().filter(l -> !l.startsWith("[together-agent]") && !l.isBlank())
                .collect(Collectors.toList());
    }

    @Test
    void aJvmThatLoadsNoHttpClientNeverLoadsAsm() {
        ChildJvm.Result r = new ChildJvm().agent("").testClasses().option("-Xlog:class+load=info:stdout")
                .runMain(IdleProbe.class.getName());
        assertTrue(r.stdout.contains("IDLE"), r.describe());
        assertEquals(1, r.agentLinesContaining("started: mode=retry"), r.describe());
        assertEquals(0, asmClasses(r), "ASM classes were loaded\n" + r.agentLines());
    }

    @Test
    void theFirstHttpURLConnectionLoadsIt() {
        // The probe's URL is never called: opening a connection loads the JDK's http handler.
        ChildJvm.Result r = new ChildJvm().agent("").testClasses().option("-Xlog:class+load=info:stdout")
                .runMain(UrlConnectionProbe.class.getName(), "--url", "http://127.0.0.1:9/", "--get");
        assertTrue(asmClasses(r) > 5, r.agentLines().toString());
    }

    @Test
    void theJvmPrintsNoWarningAndTheBridgeIsInTheBootLoader() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = ProbeRunner.urlConnection().run("hosts=127.0.0.1,base-delay=50ms",
                List.of("-Xlog:class+load=info:stdout"), "--url", url(), "--get");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requests().size(), r.describe());
        assertEquals(List.of(), jvmLines(r), r.describe());
        String bridgeSource = "io.togetheragent.bridge.Bridge source: ";
        assertTrue(r.stdout.lines().anyMatch(l -> l.contains(bridgeSource + "__JVM_DefineClass__")
                || l.contains(bridgeSource + "__Unsafe_DefineClass__")), r.describe());
    }

    @Test
    void theAgentNeverOpensThePlatformMBeanServerItself() {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = ProbeRunner.urlConnection().run("hosts=127.0.0.1,base-delay=50ms",
                List.of("-Xlog:class+load=info:stdout"), "--url", url(), "--get");
        assertEquals(2, server.requests().size(), r.describe());
        // The probe ends well after the agent's thread would have registered its beans.
        assertTrue(r.stdout.lines().noneMatch(l -> l.contains("com.sun.jmx.mbeanserver.JmxMBeanServer ")),
                r.describe());
    }
}
