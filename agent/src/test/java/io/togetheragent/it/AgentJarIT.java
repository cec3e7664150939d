package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The packaged jar: self-contained, relocated, Java 8 bytecode, with an agent's manifest. */
class AgentJarIT {
    private static final String HELPERS = "META-INF/together-agent/helpers/";

    @Test
    void holdsOnlyTheAgentsOwnPackage() throws IOException {
        List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                boolean ours = name.startsWith("io/togetheragent/") || name.equals("io/")
                        || name.startsWith(HELPERS + "io/togetheragent/")
                        || name.startsWith("META-INF/") && !name.endsWith(".class");
                if (!ours) {
                    foreign.add(name);
                }
            }
            assertTrue(foreign.isEmpty(), "unrelocated entries: " + foreign);
            assertTrue(jar.getEntry(HELPERS + "io/togetheragent/okhttp/helper/RetryInterceptor.class") != null);
            assertTrue(jar.getEntry("io/togetheragent/okhttp/helper/RetryInterceptor.class") == null,
                    "helpers must be out of the agent loader's sight");
            assertTrue(jar.getEntry("io/togetheragent/shaded/org/objectweb/asm/ClassReader.class") != null);
            assertTrue(jar.getEntry("io/togetheragent/shaded/org/objectweb/asm/tree/MethodNode.class") != null);
            assertTrue(jar.getEntry("io/togetheragent/bridge/Bridge.class") != null);
            assertTrue(jar.getEntry("io/togetheragent/shaded/org/slf4j/LoggerFactory.class") != null);
            assertTrue(jar.getEntry("META-INF/services/io.togetheragent.shaded.org.slf4j.spi.SLF4JServiceProvider")
                    != null);
        }
    }

    @Test
    void declaresItselfAnAgent() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("io.togetheragent.AgentMain", main.getValue("Premain-Class"));
            assertEquals("io.togetheragent.AgentMain", main.getValue("Agent-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    void runsOnJava8ButForTheJava11Adapter() throws IOException {
        List<String> tooNew = new ArrayList<>();
        int java11Classes = 0;
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                int major = majorVersion(jar, e);
                if (e.getName().contains("io/togetheragent/jdkhttpclient/")) {
                    java11Classes += major == 55 ? 1 : 0;
                } else if (major > 52) {
                    tooNew.add(e.getName());
                }
            }
        }
        assertTrue(tooNew.isEmpty(), "classes newer than Java 8: " + tooNew);
        assertTrue(java11Classes > 0, "the java.net.http adapter is missing");
    }

    private static int majorVersion(JarFile jar, JarEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e); DataInputStream data = new DataInputStream(in)) {
            data.readInt();
            data.readUnsignedShort();
            return data.readUnsignedShort();
        }
    }
}
