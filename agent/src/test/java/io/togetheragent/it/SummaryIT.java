package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.UrlConnectionProbe;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The periodic summary line, written only while something was counted. */
class SummaryIT extends StandInTest {
    private static final Pattern LINE = Pattern.compile("INFO last 1s: (\\d+) calls, (\\d+) rate-limited, (\\d+)"
            + " retries, (\\d+) recovered, (\\d+) gave up, waited (\\d+\\.\\d) s");

    @Test
    void saysWhatHappenedInTheLastIntervalAndNothingWhenNothingDid() {
        enqueue429(1, Map.of("retry-after-ms", "200"));
        server.enqueue(200, Map.of(), "{}");
        enqueue429(2, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = new ChildJvm().agent("hosts=127.0.0.1,base-delay=10ms,max-retries=1,summary-interval=1s")
                .testClasses().runMain(UrlConnectionProbe.class.getName(), "--url", url(), "--calls", "3",
                        "--linger-ms", "3500");
        List<Integer> statuses = Outcome.parse(r.stdout).stream().map(o -> o.status).collect(Collectors.toList());
        assertEquals(List.of(200, 429, 200), statuses, r.describe());
        long[] sum = new long[5];
        int lines = 0;
        for (String line : r.agentLines()) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                lines++;
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += Long.parseLong(m.group(i + 1));
                }
            }
        }
        // 3 calls; 3 429s; call 1 retried once and recovered, call 2 gave up after its one retry.
        assertEquals(3, sum[0], r.stderr);
        assertEquals(3, sum[1], r.stderr);
        assertEquals(2, sum[2], r.stderr);
        assertEquals(1, sum[3], r.stderr);
        assertEquals(1, sum[4], r.stderr);
        // The calls take well under a second or two; the 3.5 s after them add no line.
        assertTrue(lines >= 1 && lines <= 2, r.stderr);
    }
}
