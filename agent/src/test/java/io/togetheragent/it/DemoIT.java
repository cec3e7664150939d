package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.StandIn;
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

    @Test
    void aWrongKeyGets401sThatAreNeverRetried() throws Exception {
        try (StandIn standIn = StandIn.start(0, 1, StandIn.DEMO_KEY)) {
            ChildJvm.Result r = new ChildJvm().agent("hosts=127.0.0.1")
                    .env("TOGETHER_API_KEY", "tgp_v1_wrongKey000000000000000000000000000000000")
                    .env("TOGETHER_BASE_URL", standIn.url() + "/v1")
                    .runJar(ChildJvm.TEST_APP_JAR, "--calls", "6", "--threads", "2");
            assertTrue(r.stdout.contains("calls=6 ok=0 failed=6 server-429s=n/a"), r.describe());
            assertTrue(r.stdout.contains("failed: HTTP 401 {\"error\":{\"message\":\"Invalid API key provided."),
                    r.describe());
            assertEquals(6, standIn.count(401), r.describe());
            assertEquals(6, standIn.requestCount(), r.describe());
        }
    }

    private static Matcher summary(ChildJvm.Result r) {
        Matcher m = SUMMARY.matcher(r.stdout);
        assertTrue(m.find(), "no summary line\n" + r.describe());
        return m;
    }
}
