package io.togetheragent.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for Together's host names, made with the JDK's keytool, and a trust store holding
 * it for the child JVMs: HTTPS to {@code api.together.xyz} served on loopback.
 */
final class TestTls {
    private static final String PASSWORD = "changeit";
    private static Path dir;

    private TestTls() {}

    static synchronized SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files().resolve("server.p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** The trust store holding the certificate (PKCS12, password changeit). */
    static String trustStore() throws Exception {
        return files().resolve("trust.p12").toString();
    }

    /** The JVM option that resolves Together's hosts to loopback. */
    static String hostsOption() throws Exception {
        return "-Djdk.net.hosts.file=" + files().resolve("hosts");
    }

    /** JVM options that make a child trust the certificate and resolve Together's hosts to loopback. */
    static List<String> clientOptions() throws Exception {
        Path d = files();
        return List.of("-Djavax.net.ssl.trustStore=" + d.resolve("trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djdk.net.hosts.file=" + d.resolve("hosts"));
    }

    private static synchronized Path files() throws Exception {
        if (dir != null) {
            return dir;
        }
        Path d = TempDirs.create("together-tls");
        Path server = d.resolve("server.p12");
        Path cert = d.resolve("server.crt");
        keytool("-genkeypair", "-alias", "standin", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3",
                "-dname", "CN=api.together.xyz", "-ext",
                "san=dns:api.together.xyz,dns:api.together.ai,dns:dedicated.api.together.ai,ip:127.0.0.1",
                "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "standin", "-keystore", server.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "standin", "-file", cert.toString(),
                "-keystore", d.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        Files.writeString(d.resolve("hosts"),
                "127.0.0.1 api.together.xyz\n127.0.0.1 api.together.ai\n127.0.0.1 dedicated.api.together.ai\n");
        dir = d;
        return d;
    }

    private static void keytool(String... args) throws Exception {
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + cmd + "\n" + out);
        }
    }
}
