package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.testapp.standin.StandIn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The connection-pool check for Apache HttpClient: every discarded response must be read away and released, so
 * its connection goes back to the pool. With only two connections, a single leaked one halves the pool and two
 * block every further call; a connection closed instead of released shows as a third client port.
 */
final class ApachePools {
    static final int CALLS = 50;

    private ApachePools() {}

    static void assertNoLeak(StandIn server, Supplier<String> url, Function<String[], ChildJvm.Result> run,
                             String... more) {
        for (int i = 0; i < CALLS; i++) {
            server.enqueue(429, Map.of("retry-after-ms", "10"), "{\"error\":{\"message\":\"rate limited " + i
                    + "\",\"padding\":\"" + "x".repeat(2000) + "\"}}");
        }
        List<String> args = new ArrayList<>(List.of("--url", url.get(), "--pool", "2", "--threads", "8",
                "--calls", String.valueOf(CALLS)));
        args.addAll(Arrays.asList(more));
        ChildJvm.Result r = run.apply(args.toArray(new String[0]));
        assertFalse(r.stdout.contains("CALLS DID NOT FINISH"), r.describe());
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(CALLS, outcomes.size(), r.describe());
        assertTrue(outcomes.stream().allMatch(o -> o.status == 200), r.describe());
        assertEquals(2 * CALLS, server.requestCount(), r.describe());
        assertTrue(r.stdout.contains("POOL LEASED 0\n"), r.describe());
        Set<Integer> ports = server.requests().stream().map(q -> q.clientPort).collect(Collectors.toSet());
        assertTrue(ports.size() <= 2, "connections used: " + ports + "\n" + r.describe());
    }
}
