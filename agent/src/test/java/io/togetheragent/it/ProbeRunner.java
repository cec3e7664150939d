package io.togetheragent.it;

import io.togetheragent.it.probe.HttpClient4Probe;
import io.togetheragent.it.probe.HttpClient5Probe;
import io.togetheragent.it.probe.JdkHttpClientProbe;
import io.togetheragent.it.probe.OkHttpProbe;
import io.togetheragent.it.probe.ReactorNettyProbe;
import io.togetheragent.it.probe.RestClientProbe;
import io.togetheragent.it.probe.WebClientProbe;
import io.togetheragent.it.probe.UrlConnectionProbe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs one HTTP client's probe application in a child JVM, with that client's libraries. */
public final class ProbeRunner {
    private final String probe;
    private final String libDir;
    private final String[] fixedArgs;

    /**
     * @param probe the probe's main class
     * @param libDir the directory under {@code it-libs} holding the client library (or several, comma-separated), or
     *     null for a JDK client
     */
    private ProbeRunner(Class<?> probe, String libDir, String... fixedArgs) {
        this(probe.getName(), libDir, fixedArgs);
    }

    private ProbeRunner(String probe, String libDir, String... fixedArgs) {
        this.probe = probe;
        this.libDir = libDir;
        this.fixedArgs = fixedArgs;
    }

    static ProbeRunner okHttp(String libDir) {
        return new ProbeRunner(OkHttpProbe.class, libDir);
    }

    static ProbeRunner jdkHttpClient() {
        return new ProbeRunner(JdkHttpClientProbe.class, null);
    }

    /** Every call through {@code sendAsync}. */
    static ProbeRunner jdkHttpClientAsync() {
        return new ProbeRunner(JdkHttpClientProbe.class, null, "--async");
    }

    static ProbeRunner urlConnection() {
        return new ProbeRunner(UrlConnectionProbe.class, null);
    }

    static ProbeRunner httpClient4() {
        return new ProbeRunner(HttpClient4Probe.class, "httpclient-4");
    }

    /** @param libDir {@code httpclient5-oldest} or {@code httpclient5-newest} */
    static ProbeRunner httpClient5(String libDir) {
        return new ProbeRunner(HttpClient5Probe.class, libDir);
    }

    /** Every call through {@code CloseableHttpAsyncClient}. */
    static ProbeRunner httpClient5Async(String libDir) {
        return new ProbeRunner(HttpClient5Probe.class, libDir, "--async");
    }

    /** @param libDir {@code reactor-netty-oldest}, {@code reactor-netty-newest} or {@code spring-webflux} */
    static ProbeRunner reactorNetty(String libDir, String... fixedArgs) {
        return new ProbeRunner(ReactorNettyProbe.class, libDir, fixedArgs);
    }

    /** Spring WebClient on Reactor Netty. */
    static ProbeRunner webClient() {
        return new ProbeRunner(WebClientProbe.class, "spring-webflux");
    }

    /** Spring WebClient on Apache HttpClient 5 (its {@code HttpComponentsClientHttpConnector}). */
    static ProbeRunner webClientOnHttpClient5() {
        return new ProbeRunner(WebClientProbe.class, "spring-webflux,httpclient5-newest", "--variant", "httpcomponents");
    }

    /** Spring RestClient on a request factory: reactor, jdk, simple, httpcomponents (with HttpClient 5's jars). */
    static ProbeRunner restClient(String factory) {
        return new ProbeRunner(RestClientProbe.class, "spring-webflux", "--variant", factory);
    }

    /**
     * Jetty's HttpClient 9.4 to 11; its probe is compiled apart, against Jetty 9.4, so it is named here.
     *
     * @param libDir {@code jetty-9} or {@code jetty-11}
     */
    static ProbeRunner jetty9(String libDir, String... fixedArgs) {
        return new ProbeRunner("io.togetheragent.it.probe.Jetty9Probe", libDir, fixedArgs);
    }

    /** Jetty's HttpClient 12. */
    static ProbeRunner jetty12(String... fixedArgs) {
        return new ProbeRunner(io.togetheragent.it.probe.Jetty12Probe.class, "jetty-12", fixedArgs);
    }

    /**
     * Vert.x's HttpClient, or with {@code --variant webclient} its WebClient.
     *
     * @param libDir {@code vertx-4} or {@code vertx-5}
     */
    static ProbeRunner vertx(String libDir, String... fixedArgs) {
        return new ProbeRunner(io.togetheragent.it.probe.VertxProbe.class, libDir, fixedArgs);
    }

    /**
     * @param agentArgs the agent's settings, or null to run without the agent
     * @param jvmOptions extra JVM options, such as system properties
     */
    public ChildJvm.Result run(String agentArgs, List<String> jvmOptions, String... probeArgs) {
        return jvm(agentArgs, jvmOptions).runMain(probe, args(probeArgs));
    }

    /**
     * As {@link #run}, with {@code --in-the-wait}: the probe looks into the agent's first wait (cancels its call, or
     * counts the threads sleeping in the agent) as soon as the agent says it will retry the first answer, however
     * long the first attempt took. After a fixed pause, a look came too early on a loaded machine: a cancel before
     * anything had reached the stand-in, a count of sleeping threads before there was a wait to sleep in.
     */
    public ChildJvm.Result runInTheWait(String agentArgs, String... probeArgs)
            throws java.io.IOException, InterruptedException {
        java.nio.file.Path signal = TempDirs.create("wait").resolve("begun");
        List<String> args = new ArrayList<>(Arrays.asList(probeArgs));
        args.add("--in-the-wait");
        args.add(signal.toString());
        ChildJvm.Started started = start(agentArgs, Map.of(), args.toArray(new String[0]));
        started.awaitError(": retry 1 of ");
        java.nio.file.Files.createFile(signal);
        return started.finish();
    }

    /** As {@link #run}, returning at once: for several child JVMs at a time (a fleet). */
    public ChildJvm.Started start(String agentArgs, Map<String, String> env, String... probeArgs)
            throws java.io.IOException {
        return start(agentArgs, env, List.of(), probeArgs);
    }

    /** As {@link #start(String, Map, String...)}, with extra JVM options. */
    public ChildJvm.Started start(String agentArgs, Map<String, String> env, List<String> jvmOptions,
                                  String... probeArgs) throws java.io.IOException {
        ChildJvm jvm = jvm(agentArgs, jvmOptions);
        env.forEach(jvm::env);
        return jvm.start(probe, args(probeArgs));
    }

    private ChildJvm jvm(String agentArgs, List<String> jvmOptions) {
        ChildJvm jvm = new ChildJvm();
        if (libDir == null) {
            jvm.testClasses();
        } else {
            for (String dir : libDir.split(",")) {
                jvm.libs(dir);
            }
        }
        jvm.option(jvmOptions.toArray(new String[0]));
        if (agentArgs != null) {
            jvm.agent(agentArgs);
        }
        return jvm;
    }

    private String[] args(String... probeArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(fixedArgs));
        args.addAll(Arrays.asList(probeArgs));
        return args.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return probe.substring(probe.lastIndexOf('.') + 1) + String.join(" ", fixedArgs)
                + (libDir == null ? "" : " on " + libDir);
    }
}
