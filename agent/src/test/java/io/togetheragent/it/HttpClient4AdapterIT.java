package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only Apache HttpClient 4 has: its execute overloads, client kinds and connection pool. */
class HttpClient4AdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private ChildJvm.Result run(String settings, String... probeArgs) {
        return ProbeRunner.httpClient4().run(settings, List.of(), probeArgs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--handler", "--context", "--handler --context", "--variant minimal",
        "--variant legacy"})
    void everyExecuteOverloadAndClientKindIsRetried(String how) {
        enqueue429(2, Map.of("retry-after-ms", "10"));
        List<String> args = new ArrayList<>(List.of("--url", url()));
        if (!how.isEmpty()) {
            args.addAll(Arrays.asList(how.split(" ")));
        }
        ChildJvm.Result r = run(SETTINGS, args.toArray(new String[0]));
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    @Test
    void aPoolOfTwoConnectionsServesFiftyRetriedCallsWithoutLeakingOrBlocking() {
        ApachePools.assertNoLeak(server, this::url, args -> run(SETTINGS + ",max-retries=50", args));
    }
}
