package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.core.shared.RedisUrl;
import io.togetheragent.testapp.standin.StandIn;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: JVMs sharing one key's limit through a real Redis ({@code shared-limit}), each a child JVM with the
 * packaged agent calling through OkHttp 5, counted at the stand-in.
 */
class SharedLimitIT {
    private static final String SETTINGS = "hosts=127.0.0.1";
    private static final String PASSWORD = "s3cretRedisPw";

    /** Starts the JVMs together and returns what each printed. */
    private static List<ChildJvm.Result> fleet(int jvms, String settings, Map<String, String> env, String url,
                                               int calls, int threads) throws Exception {
        List<ChildJvm.Started> started = new ArrayList<>();
        for (int j = 0; j < jvms; j++) {
            started.add(ProbeRunner.okHttp("okhttp-5").start(settings, env, "--url", url, "--calls",
                    String.valueOf(calls), "--threads", String.valueOf(threads)));
        }
        List<ChildJvm.Result> results = new ArrayList<>();
        for (ChildJvm.Started jvm : started) {
            results.add(jvm.finish());
        }
        return results;
    }

    private static long succeeded(List<ChildJvm.Result> fleet) {
        return fleet.stream().flatMap(r -> Outcome.parse(r.stdout).stream()).filter(o -> o.status == 200).count();
    }

    private static String describe(List<ChildJvm.Result> fleet) {
        StringBuilder all = new StringBuilder();
        fleet.forEach(r -> all.append(r.describe()).append('\n'));
        return all.toString();
    }

    /**
     * Four JVMs against 10 requests/s, burst 5: each alone learns the limit only from its own 429s, and they keep
     * meeting them; sharing one schedule and cool-down in Redis, they meet hardly any past the first round, which
     * goes before any answer has shown the limit.
     */
    @Test
    void aFleetSharingTheLimitDrawsFarFewer429s() throws Exception {
        long alone;
        try (StandIn limited = StandIn.start(10, 5, null)) {
            List<ChildJvm.Result> fleet = fleet(4, SETTINGS, Map.of(), limited.url() + "/v1/chat/completions", 20, 2);
            assertEquals(80, succeeded(fleet), describe(fleet));
            alone = limited.count(429);
        }
        try (RedisServer redis = RedisServer.start(); StandIn limited = StandIn.start(10, 5, null)) {
            List<ChildJvm.Result> fleet = fleet(4, SETTINGS + ",shared-limit=" + redis.url(), Map.of(),
                    limited.url() + "/v1/chat/completions", 20, 2);
            assertEquals(80, succeeded(fleet), describe(fleet));
            long shared = limited.count(429);
            for (ChildJvm.Result jvm : fleet) {
                assertEquals(1, jvm.agentLinesContaining("the lanes are shared with the other JVMs through Redis"),
                        jvm.describe());
            }
            System.out.println("429s of 80 calls: " + alone + " alone, " + shared + " shared");
            assertTrue(shared * 2 <= alone, shared + " 429s shared, " + alone + " alone\n" + describe(fleet));
        }
    }

    /**
     * Redis stopped mid-run and started again: every call succeeds, the JVM says once that it paces alone and once
     * that Redis answers again; the password (from the environment) is never written.
     */
    @Test
    void aStoppedRedisLeavesTheJvmAloneUntilItAnswersAgain() throws Exception {
        try (RedisServer redis = RedisServer.start(PASSWORD); StandIn limited = StandIn.start(10, 5, null)) {
            ChildJvm.Started jvm = ProbeRunner.okHttp("okhttp-5").start(SETTINGS + ",shared-limit="
                    + redis.url(), Map.of(RedisUrl.PASSWORD_ENV, PASSWORD), "--url",
                    limited.url() + "/v1/chat/completions", "--calls", "60", "--threads", "2");
            await(limited::requestCount, 10);
            redis.stop();
            await(limited::requestCount, 22);
            redis.restart();
            ChildJvm.Result r = jvm.finish();
            assertEquals(60, Outcome.parse(r.stdout).stream().filter(o -> o.status == 200).count(), r.describe());
            assertEquals(1, r.agentLinesContaining("this JVM paces its lanes on its own until Redis answers again"),
                    r.describe());
            assertEquals(1, r.agentLinesContaining("answers again; the lanes are shared again"), r.describe());
            assertFalse((r.stdout + r.stderr).contains(PASSWORD), r.describe());
            assertTrue(r.stderr.contains("redis://:***@127.0.0.1:" + redis.port()), r.describe());
        }
    }

    /** No Redis where the setting points: the calls go on as without it, and the JVM says so once. */
    @Test
    void noRedisAtAllChangesNothingButOneLine() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (StandIn limited = StandIn.start(10, 5, null)) {
            ChildJvm.Result r = ProbeRunner.okHttp("okhttp-5").run(SETTINGS + ",shared-limit=redis://127.0.0.1:"
                    + port, List.of(), "--url", limited.url() + "/v1/chat/completions", "--calls", "20", "--threads",
                    "2");
            assertEquals(20, Outcome.parse(r.stdout).stream().filter(o -> o.status == 200).count(), r.describe());
            assertEquals(1, r.agentLinesContaining("refused the connection; this JVM paces its lanes on its own"),
                    r.describe());
        }
    }

    /** Waits (up to a minute) until the count reaches the value: the run's progress as the stand-in saw it. */
    private static void await(IntSupplier count, int atLeast) throws InterruptedException {
        for (int i = 0; i < 600 && count.getAsInt() < atLeast; i++) {
            Thread.sleep(100);
        }
    }
}
