package io.togetheragent.instrumentation;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import net.bytebuddy.dynamic.ClassFileLocator;

/** The agent's own jar: where helper classes are read from, and its version. */
public final class AgentJar {
    /**
     * Where the build puts adapters' helper classes (packages {@code io.togetheragent.*.helper}), out of the boot
     * loader's sight: it could not link them, yet the JDK asks it for them, for example when it spins a lambda.
     */
    static final String HELPERS = "META-INF/together-agent/helpers/";

    private static volatile File file;
    private static volatile JarFile jar;

    private AgentJar() {}

    public static void set(File agentJar) throws IOException {
        file = agentJar;
        jar = new JarFile(agentJar);
    }

    /** Where Byte Buddy reads advice classes from. */
    static ClassFileLocator locator() throws IOException {
        return ClassFileLocator.ForJarFile.of(file);
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
        ZipEntry entry = jar.getEntry(HELPERS + className.replace('.', '/') + ".class");
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
