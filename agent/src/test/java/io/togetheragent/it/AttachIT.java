package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code java -jar together-agent.jar attach <pid> [settings]} on a running service. */
class AttachIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    /** {@code java -jar together-agent.jar attach <pid> [settings]}. */
    private static final Attacher ATTACH_COMMAND = pid -> {
        ChildJvm.Result attach = new ChildJvm().runJar(ChildJvm.AGENT_JAR, "attach", pid, SETTINGS);
        assertEquals(0, attach.exitCode, attach.describe());
        assertTrue(attach.stdout.contains("together-agent loaded into JVM " + pid), attach.describe());
    };

    @Test
    void attachesToARunningJvmAndCoversItsClientBuiltBefore() throws Exception {
        assertAttachedBy(ATTACH_COMMAND);
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

    /** The Attach API itself, as a tool of the operator's own would load the agent. */
    @Test
    void theAttachApiLoadsItToo() throws Exception {
        assertAttachedBy(pid -> {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(ChildJvm.AGENT_JAR.toString(), SETTINGS);
            } finally {
                vm.detach();
            }
        });
    }

    /**
     * Clients built, and used once, before the attach: the agent covers their later calls (see the README). The
     * JDK client's send is the one of the cases above.
     */
    static Stream<ProbeRunner> clientsBuiltBefore() {
        return Stream.of(ProbeRunner.jdkHttpClientAsync(), ProbeRunner.httpClient4(),
                ProbeRunner.httpClient5("httpclient5-newest"), ProbeRunner.reactorNetty("reactor-netty-oldest"),
                ProbeRunner.reactorNetty("reactor-netty-newest"),
                ProbeRunner.webClient(), ProbeRunner.vertx("vertx-4"), ProbeRunner.vertx("vertx-5"),
                ProbeRunner.urlConnection(), ProbeRunner.okHttp("okhttp-5"), ProbeRunner.okHttp("okhttp-3"));
    }

    @ParameterizedTest
    @MethodSource("clientsBuiltBefore")
    void aClientBuiltBeforeTheAttachIsCoveredToo(ProbeRunner client) throws Exception {
        ChildJvm.Result r = callBeforeAndAfterAttach(client, List.of());
        assertEquals(200, Outcome.parse(r.stdout).get(1).status, r.describe());
        // One call before the agent, then one that met two 429s.
        assertEquals(4, server.requestCount(), r.describe());
    }

    /**
     * Regression: a copy that got no interceptor either (the agent failed to add it) was used all the same, said
     * to retry, and its own calls made copies of it in turn, to a stack overflow the agent swallowed.
     */
    @Test
    void anOkHttpClientBuiltBeforeWhoseCopyGetsNoInterceptorMakesItsOwnCalls() throws Exception {
        ChildJvm.Result r = callBeforeAndAfterAttach(ProbeRunner.okHttp("okhttp-5"),
                List.of("-Dtogether.agent.internal.fault=okhttp-interceptor"));
        assertEquals(429, Outcome.parse(r.stdout).get(1).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("internal error in adding the retry interceptor to an OkHttp client"),
                r.describe());
        assertEquals(0, r.agentLinesContaining("internal error in a call of an OkHttp client"), r.describe());
        assertEquals(0, r.agentLinesContaining("built before the agent was attached"), r.describe());
    }

    /** One call, the agent attached with two 429s waiting at the stand-in, then a second call with the same client. */
    private ChildJvm.Result callBeforeAndAfterAttach(ProbeRunner client, List<String> jvmOptions) throws Exception {
        return callBeforeAndAfterAttach(client, jvmOptions, ATTACH_COMMAND);
    }

    private ChildJvm.Result callBeforeAndAfterAttach(ProbeRunner client, List<String> jvmOptions, Attacher attacher)
            throws Exception {
        Path signal = TempDirs.create("attach").resolve("attached");
        ChildJvm.Started service = client.start(null, Map.of(), jvmOptions, "--url", url(), "--calls", "2",
                "--pause-after-first", signal.toString());
        service.awaitOutput("READY");
        enqueue429(2, Map.of("retry-after-ms", "10"));
        attacher.attach(String.valueOf(service.process.pid()));
        Files.createFile(signal);
        return service.finish();
    }

    private interface Attacher {
        void attach(String pid) throws Exception;
    }

    /** A java.net.http client built and used before the agent is loaded this way. */
    private void assertAttachedBy(Attacher attacher) throws Exception {
        ChildJvm.Result r = callBeforeAndAfterAttach(ProbeRunner.jdkHttpClient(), List.of(), attacher);
        assertEquals(200, Outcome.parse(r.stdout).get(1).status, r.describe());
        // One call before the agent, then one that met two 429s.
        assertEquals(4, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("started: mode=retry, hosts=127.0.0.1"), r.describe());
    }

    /**
     * Java 21 and later warn on the target's standard error of an agent loaded while it runs (JEP 451): the attach
     * command says so where, and only where, the JVM does (CI's second round runs this on Java 25).
     */
    @Test
    void theAttachCommandSaysWhenTheJvmWarnsOfAnAgentLoadedLate() throws Exception {
        ChildJvm.Result[] attach = new ChildJvm.Result[1];
        ChildJvm.Result r = callBeforeAndAfterAttach(ProbeRunner.jdkHttpClient(), List.of(), pid -> {
            attach[0] = new ChildJvm().runJar(ChildJvm.AGENT_JAR, "attach", pid, SETTINGS);
            assertEquals(0, attach[0].exitCode, attach[0].describe());
        });
        boolean warned = r.stderr.contains("WARNING: A Java agent has been loaded dynamically");
        assertEquals(warned, attach[0].stdout.contains("(JEP 451)"), r.describe() + attach[0].describe());
    }

    /** Regression: the attach command echoed its settings as given, a shared-limit URL's password with them. */
    @Test
    void theAttachCommandNeverShowsASharedLimitPassword() throws Exception {
        ChildJvm.Result[] attach = new ChildJvm.Result[1];
        callBeforeAndAfterAttach(ProbeRunner.jdkHttpClient(), List.of(), pid -> attach[0] = new ChildJvm().runJar(
                ChildJvm.AGENT_JAR, "attach", pid, SETTINGS + ",shared-limit=redis://:s3cret@127.0.0.1:1"));
        assertEquals(0, attach[0].exitCode, attach[0].describe());
        assertTrue(attach[0].stdout.contains("shared-limit=redis://***@127.0.0.1:1"), attach[0].describe());
        assertTrue(!attach[0].stdout.contains("s3cret") && !attach[0].stderr.contains("s3cret"), attach[0].describe());
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
