package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.FaultServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The streamed-answer check the non-blocking adapters' tests share. */
final class StreamedAnswers {
    private StreamedAnswers() {}

    /**
     * A 429 before the stream starts is retried; the stream then reaches the application as it comes: its first
     * event 1.5 s before its second, as the server sent them (a buffered body would show both at once). The probe,
     * given {@code --stream}, prints a {@code CHUNK <ms>} line for each part it reads.
     */
    static void retriedThenUnbuffered(ProbeRunner client, String settings) throws Exception {
        try (FaultServer faults = new FaultServer()) {
            faults.then(Reply.status(429, "{}", "retry-after-ms: 10"));
            faults.then(Reply.eventStream("data: {\"n\":1}\n\n", 1500, "data: [DONE]\n\n"));
            ChildJvm.Result r = client.run(settings, List.of(), "--url", faults.url(), "--stream");
            assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
            assertEquals(2, faults.received().size(), r.describe());
            List<Long> at = chunkTimes(r.stdout);
            assertTrue(at.size() >= 2, r.describe());
            assertTrue(at.get(at.size() - 1) - at.get(0) >= 1000, "chunks at " + at + "\n" + r.describe());
        }
    }

    private static List<Long> chunkTimes(String stdout) {
        List<Long> at = new ArrayList<>();
        Matcher m = Pattern.compile("^CHUNK (\\d+) ", Pattern.MULTILINE).matcher(stdout);
        while (m.find()) {
            at.add(Long.parseLong(m.group(1)));
        }
        return at;
    }
}
