package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.OperatorProbe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JMX bean {@code together.agent:type=Agent}: counters, settings, and operations that act on live traffic. */
class JmxIT extends StandInTest {
    @Test
    void operationsChangeWhatTheNextRequestGetsAndTheCountersSayWhatHappened() {
        // In order of the requests: call 1 (429, then 200), call 2 (429), call 3 (429, 429), call 4 (429).
        for (int status : new int[] {429, 200, 429, 429, 429, 429}) {
            server.enqueue(status, Map.of("retry-after-ms", "10"), status == 200 ? "{}" : BODY_429);
        }
        ChildJvm.Result r = new ChildJvm().agent("hosts=127.0.0.1,base-delay=10ms").testClasses()
                .runMain(OperatorProbe.class.getName(), "--url", url(), "--steps",
                        "call", "op:switchMode:observe", "call", "op:changeMaxRetries:1", "op:switchMode:retry",
                        "call", "op:changeMaxWait:soon", "op:switchMode:off", "call", "attrs");
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(List.of(200, 429, 429, 429), outcomes.stream().map(o -> o.status).toList(), r.describe());
        // retry: 2 requests; observe: 1 (would retry); retry with max-retries=1: 2; off: 1.
        assertEquals(6, server.requestCount(), r.describe());
        assertTrue(r.stdout.contains("REGISTERED BEFORE ANY CALL false"), r.describe());
        // The hook that hears of the server being opened was set up as ManagementFactory loaded (it once failed
        // there with a class circularity, and the beans came only by the agent's own look for an open server).
        assertEquals(0, r.agentLinesContaining("internal error"), r.describe());
        assertTrue(r.stdout.contains("OP changeMaxWait REFUSED max-wait: 'soon' refused: expected a duration"),
                r.describe());
        for (String attribute : new String[] {"Requests 3", "RateLimited 4", "Overloaded 0", "Retries 2",
            "WouldRetry 1", "Recovered 1", "GaveUp 1", "KeyProblems 0", "Mode off", "MaxRetries 1", "MaxWait 1m"}) {
            assertTrue(r.stdout.contains("ATTR " + attribute + "\n"), attribute + "\n" + r.describe());
        }
        assertTrue(r.stdout.contains("HOST Requests 3\n"), r.describe());
        // Issue 14: a bean per model's lane, its key named only in the redacted form.
        assertTrue(r.stdout.contains("LANE m RequestLimited 4 TokenLimited 0 KEY "), r.describe());
        String key = r.stdout.replaceAll("(?s).*LANE m [^\n]* KEY ([^\n]*)\n.*", "$1");
        assertTrue(key.contains("\u2026") && !key.contains("probeKey"), key);
        assertEquals(1, r.agentLinesContaining("INFO mode changed over JMX to 'observe'"), r.describe());
        assertEquals(1, r.agentLinesContaining("INFO max-retries changed over JMX to '1'"), r.describe());
        assertEquals(1, r.agentLinesContaining("WARN max-wait over JMX: 'soon' refused"), r.describe());
        // Off is pure pass-through: the fourth call's 429 is not even looked at.
        assertEquals(1, r.agentLinesContaining("[observe]"), r.describe());
    }
}
