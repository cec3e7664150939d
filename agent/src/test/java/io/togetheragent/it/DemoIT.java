package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The test-app against its embedded stand-in, as the README's demo runs it: without and with the agent. */
class DemoIT {
    private static final Pattern SUMMARY = Pattern.compile("summary: client=(\\S+) calls=(\\d+) ok=(\\d+) failed=(\\d+)"
            + " server-429s=(\\d+)");
    private static final String[] LOAD = {"--client", "okhttp", "--calls", "40", "--threads", "8", "--rate", "20",
        "--burst", "5"};

    @Test
    void theAgentTurnsRateLimitedFailuresIntoSuccesses() {
        ChildJvm.Result without = new ChildJvm().runJar(ChildJvm.TEST_APP_JAR, LOAD);
        ChildJvm.Result with = new ChildJvm().agent("hosts=127.0.0.1").runJar(ChildJvm.TEST_APP_JAR, LOAD);
        Matcher a = summary(without);
        Matcher b = summary(with);
        assertTrue(Integer.parseInt(a.group(4)) > 0, "without the agent some calls should fail\n" + without.describe());
        assertEquals("40", b.group(3), with.describe());
        assertEquals("0", b.group(4), with.describe());
        assertTrue(Integer.parseInt(b.group(5)) > 0, "the stand-in should have rate-limited\n" + with.describe());
    }

    private static Matcher summary(ChildJvm.Result r) {
        Matcher m = SUMMARY.matcher(r.stdout);
        assertTrue(m.find(), "no summary line\n" + r.describe());
        return m;
    }
}
