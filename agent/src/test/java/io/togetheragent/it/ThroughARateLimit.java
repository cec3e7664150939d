package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.RecordedRequest;
import io.togetheragent.testapp.standin.StandIn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frameworks' acceptance run: 30 chat calls from 6 threads through the stand-in's limit of 10 requests/s (burst
 * 5), with the agent. Every call gets the stand-in's answer, and few meet a 429 (without the agent, each framework
 * either fails most calls or draws twenty or more 429s).
 */
final class ThroughARateLimit {
    static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private ThroughARateLimit() {}

    /** Runs the probe in a JVM with the agent and the library set; returns the requests the stand-in got. */
    static List<RecordedRequest> run(String libs, Class<?> probe, String... probeArgs) throws Exception {
        try (StandIn limited = StandIn.start(10, 5, null)) {
            List<String> args = new ArrayList<>(List.of("--url", limited.url() + "/v1/chat/completions",
                    "--calls", "30", "--threads", "6"));
            args.addAll(Arrays.asList(probeArgs));
            ChildJvm.Result r = new ChildJvm().agent(SETTINGS).libs(libs).runMain(probe.getName(),
                    args.toArray(new String[0]));
            List<Outcome> outcomes = Outcome.parse(r.stdout);
            assertEquals(30, outcomes.size(), r.describe());
            outcomes.forEach(o -> assertEquals("200 x-test=- body=Hello from the stand-in.", o.seen(), r.describe()));
            assertEquals(30, limited.count(200), r.describe());
            // The limit governed the run: a 429 met it, or the agent paced the calls to it from the first answers'
            // headers (under CI load the first calls once came too slowly to draw any 429): then the 30 calls took
            // at least nine tenths of what the limit allows after its burst, (30 - 5) / 10 s.
            List<RecordedRequest> q = limited.requests();
            long spanMillis = (q.get(q.size() - 1).receivedNanos - q.get(0).receivedNanos) / 1_000_000;
            assertTrue(limited.count(429) > 0 || spanMillis >= 2_250,
                    "the limit was met (" + spanMillis + " ms)\n" + r.describe());
            assertTrue(limited.count(429) < 10, limited.count(429) + " 429s\n" + r.describe());
            return q;
        }
    }
}
