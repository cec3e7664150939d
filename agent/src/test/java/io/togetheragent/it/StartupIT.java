package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.IdleProbe;
import org.junit.jupiter.api.Test;

/** What the agent costs a JVM at start: it starts Byte Buddy only when a client class it instruments loads. */
class StartupIT {
    private static long byteBuddyClasses(ChildJvm.Result r) {
        return r.stdout.lines().filter(l -> l.contains("io.togetheragent.shaded.net.bytebuddy.")).count();
    }

    @Test
    void aJvmThatLoadsNoHttpClientNeverLoadsByteBuddy() {
        ChildJvm.Result r = new ChildJvm().agent("").testClasses().option("-Xlog:class+load=info:stdout")
                .runMain(IdleProbe.class.getName());
        assertTrue(r.stdout.contains("IDLE"), r.describe());
        assertEquals(1, r.agentLinesContaining("started: mode=retry"), r.describe());
        assertEquals(0, byteBuddyClasses(r), "Byte Buddy classes were loaded\n" + r.agentLines());
    }

    @Test
    void theFirstHttpURLConnectionStartsIt() {
        // The probe's URL is never called: opening a connection loads the JDK's http handler.
        ChildJvm.Result r = new ChildJvm().agent("").testClasses().option("-Xlog:class+load=info:stdout")
                .runMain(io.togetheragent.it.probe.UrlConnectionProbe.class.getName(), "--url",
                        "http://127.0.0.1:9/", "--get");
        assertTrue(byteBuddyClasses(r) > 100, r.agentLines().toString());
    }
}
