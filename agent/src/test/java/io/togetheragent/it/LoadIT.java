package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many threads sharing one rate limit: with the agent, every call of the test-app succeeds, on every client. */
class LoadIT {
    private static final Pattern SUMMARY = Pattern.compile("calls=200 ok=(\\d+) failed=(\\d+) server-429s=(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "jdk-http", "urlconnection", "httpclient4", "httpclient5"})
    void twoHundredCallsFromThirtyTwoThreadsAtTwentyPerSecondAllSucceedPaced(String client) {
        ChildJvm.Result r = new ChildJvm().agent("hosts=127.0.0.1,log-level=warn").runJar(ChildJvm.TEST_APP_JAR,
                "--client", client, "--calls", "200", "--threads", "32", "--rate", "20", "--burst", "5");
        Matcher m = SUMMARY.matcher(r.stdout);
        assertTrue(m.find(), r.describe());
        assertTrue(m.group(1).equals("200") && m.group(2).equals("0"), r.describe());
        // The limit was really hit (32 threads start at once against a burst of 5): this is a test of retrying, not
        // of a server with room to spare; and after that first meeting, the agent paced the calls rather than let
        // each thread find the limit again (a plain retry loop draws more than one 429 per call here).
        int rateLimited = Integer.parseInt(m.group(3));
        assertTrue(rateLimited >= 20, r.describe());
        assertTrue(rateLimited <= 60, r.describe());
    }
}
