package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.IsolatedOkHttpProbe;
import io.togetheragent.testapp.standin.RecordedRequest;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only OkHttp has: derived clients, class loaders of its own, {@code callTimeout}; on OkHttp 3, 4 and 5. */
class OkHttpAdapterIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=50ms";

    private void enqueue429(int times, String retryAfterMs) {
        enqueue429(times, Map.of("retry-after-ms", retryAfterMs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp-3", "okhttp-4", "okhttp-5"})
    void addsTheInterceptorOncePerClientIncludingDerivedClients(String okhttp) {
        enqueue429(10, "10");
        ChildJvm.Result r = ProbeRunner.okHttp(okhttp).run(SETTINGS + ",max-retries=1", List.of(),
                "--url", url(), "--derive", "5");
        assertTrue(r.stdout.contains("INTERCEPTORS 1 "), r.describe());
        // Six stacked interceptors would each retry the others' attempts: 2^6 requests instead of 2.
        assertEquals(2, server.requestCount(), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp-3", "okhttp-4", "okhttp-5"})
    void worksWhenOkHttpIsLoadedByAnIsolatedClassLoader(String okhttp) {
        enqueue429(2, "10");
        List<String> isolatedPath = new ArrayList<>();
        isolatedPath.add(ChildJvm.TEST_CLASSES.toString());
        isolatedPath.addAll(ChildJvm.jars(okhttp));
        // The child's own class path holds no OkHttp at all.
        ChildJvm.Result r = new ChildJvm().agent(SETTINGS).option("-cp", ChildJvm.TEST_CLASSES.toString())
                .runMain(IsolatedOkHttpProbe.class.getName(), String.join(File.pathSeparator, isolatedPath),
                        "--url", url());
        assertTrue(r.stdout.contains("INTERCEPTORS 1 LOADER other"), r.describe());
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(3, server.requestCount(), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp-3", "okhttp-4", "okhttp-5"})
    void neverWaitsPastTheCallsOwnTimeout(String okhttp) {
        enqueue429(10, "600");
        ChildJvm.Result r = ProbeRunner.okHttp(okhttp).run(SETTINGS, List.of(),
                "--url", url(), "--call-timeout-ms", "1500");
        // Without the deadline, a later attempt would run into callTimeout and the app would get an exception.
        Outcome o = Outcome.parse(r.stdout).get(0);
        assertEquals(429, o.status, r.describe());
        assertTrue(server.requestCount() <= 3, r.describe());
        assertEquals(1, r.agentLinesContaining("too little of the call's own timeout"), r.describe());
    }

    /** Regression (issue 13): a call held for a cool-down longer than its callTimeout failed unsent at the timeout. */
    @ParameterizedTest
    @ValueSource(strings = {"okhttp-3", "okhttp-4", "okhttp-5"})
    void aCallIsNeverHeldForACoolDownItsTimeoutCannotOutlast(String okhttp) {
        server.enqueue(429, Map.of("retry-after", "30"), BODY_429);
        ChildJvm.Result r = ProbeRunner.okHttp(okhttp).run(SETTINGS, List.of(),
                "--url", url(), "--call-timeout-ms", "5000", "--calls", "2");
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(429, outcomes.get(0).status, r.describe());
        assertEquals(200, outcomes.get(1).status, r.describe());
        List<RecordedRequest> q = server.requests();
        assertEquals(2, q.size(), r.describe());
        assertTrue(q.get(1).receivedNanos - q.get(0).receivedNanos < 5_000_000_000L, r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp-3", "okhttp-5"})
    void aBodyLongerThanMaxReplayBytesIsNotReadForItsModel(String okhttp) {
        assertABodyLongerThanMaxReplayBytesIsNotReadForItsModel(ProbeRunner.okHttp(okhttp), SETTINGS);
    }
}
