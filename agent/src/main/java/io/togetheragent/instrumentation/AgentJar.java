package io.togetheragent.instrumentation;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** The agent's own jar: where helper classes are read from, and its version. */
public final class AgentJar {
    /**
     * Where the build puts adapters' helper classes (packages {@code io.togetheragent.*.helper}), out of the agent
     * loader's sight: it could not link them, yet the JDK asks it for them, for example when it spins a lambda.
     */
    static final String HELPERS = "META-INF/together-agent/helpers/";

    private static volatile JarFile jar;

    private AgentJar() {}

    public static void set(File agentJar) throws IOException {
        jar = new JarFile(agentJar);
    }

    public static String version() {
        try {
            String v = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            return v == null ? "(dev)" : v;
        } catch (IOException | RuntimeException e) {
            return "(unknown)";
        }
    }

    static byte[] classBytes(String className) throws IOException {
        return classBytes(jar, HELPERS, className);
    }

    /** Also used before the agent has started (by {@link BootBridge}), and from another class loader's copy. */
    static byte[] classBytes(JarFile jar, String folder, String className) throws IOException {
        ZipEntry entry = jar.getEntry(folder + className.replace('.', '/') + ".class");
        if (entry == null) {
            throw new IOException(className + " is not in the agent jar");
        }
        try (InputStream in = jar.getInputStream(entry)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
