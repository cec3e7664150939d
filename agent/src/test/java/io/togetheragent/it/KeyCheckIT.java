package io.togetheragent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.it.probe.OkHttpProbe;
import io.togetheragent.it.probe.ProbeArgs;
import io.togetheragent.it.probe.UrlConnectionProbe;
import io.togetheragent.testapp.standin.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * API-key diagnostics, through OkHttp and HttpURLConnection: what is wrong with a key is said once, at the right
 * level, with a hint, and never with more of the key than its redacted form.
 */
class KeyCheckIT extends StandInTest {
    private static final String SETTINGS = "hosts=127.0.0.1,base-delay=10ms";
    private static final String BODY_401 = "{\"error\":{\"message\":\"Invalid API key provided. You can find your API"
            + " key at https://api.together.xyz/settings/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"invalid_api_key\"}}";
    /** A well-formed key for the scenario whose output is scanned: its secret part must never appear. */
    private static final String SECRET_KEY = "tgp_v1_Qw7ErT9yUi0OpAs2DfGh4JkL6zXc8VbN1mQw3ErT5yU";

    private ChildJvm jvm(String client, String settings) {
        ChildJvm jvm = new ChildJvm().agent(settings);
        return client.equals("okhttp") ? jvm.libs("okhttp-5") : jvm.testClasses();
    }

    private static String probe(String client) {
        return (client.equals("okhttp") ? OkHttpProbe.class : UrlConnectionProbe.class).getName();
    }

    private ChildJvm.Result run(String client, String settings, String... probeArgs) {
        List<String> args = new ArrayList<>(List.of("--url", url()));
        args.addAll(Arrays.asList(probeArgs));
        return jvm(client, settings).runMain(probe(client), args.toArray(new String[0]));
    }

    private static long keyLines(ChildJvm.Result r) {
        return r.agentLines().stream().filter(l -> !l.contains(" started: "))
                .filter(l -> l.contains("key") || l.contains("Authorization")).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void theCorrectKeyProducesNoFindingAtAll(String client) {
        enqueue429(1, Map.of("retry-after-ms", "10"));
        ChildJvm.Result r = run(client, SETTINGS, "--calls", "3");
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(0, keyLines(r), r.describe());
        assertEquals(0, r.agentLinesContaining("WARN") + r.agentLinesContaining("ERROR"), r.describe());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "okhttp|--no-auth|ERROR|have no Authorization header",
        "urlconnection|--no-auth|ERROR|have no Authorization header",
        "okhttp|Basic dXNlcjpwYXNz|ERROR|is not 'Bearer <key>'",
        "urlconnection|Token abc|ERROR|is not 'Bearer <key>'",
        "okhttp|Bearer|ERROR|have an empty API key",
        "urlconnection|Bearer |ERROR|have an empty API key",
        "okhttp|Bearer <SP>@KEY@|WARN|have an API key with whitespace",
        "urlconnection|Bearer @KEY@<LF>|WARN|have an API key with whitespace",
        "urlconnection|Bearer @KEY@<SP>|WARN|have an API key with whitespace",
        "okhttp|Bearer \"@KEY@\"|WARN|have an API key wrapped in quotes",
        "urlconnection|Bearer '@KEY@'|WARN|have an API key wrapped in quotes",
        "okhttp|Bearer YOUR_API_KEY|ERROR|have a placeholder instead of an API key",
        "urlconnection|Bearer <api-key>|ERROR|have a placeholder instead of an API key",
        "okhttp|Bearer xxxxxxxxxxxxxxxx|ERROR|have a placeholder instead of an API key",
        "urlconnection|Bearer changeme|ERROR|have a placeholder instead of an API key",
        "okhttp|Bearer undefined|ERROR|have a placeholder instead of an API key",
        "urlconnection|Bearer wrong_or_missing_key|ERROR|have a placeholder instead of an API key",
        "okhttp|Bearer ${TOGETHER_API_KEY}|ERROR|have an unexpanded variable",
        "urlconnection|Bearer $TOGETHER_API_KEY|ERROR|have an unexpanded variable",
        "okhttp|Bearer sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z|ERROR|(an OpenAI project key sk-proj-\u2026",
        "urlconnection|Bearer sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z|ERROR|(an OpenAI key sk-\u2026",
        "okhttp|Bearer sk-ant-api03-Ab3dEf6hIj9kLm2nOp5q|ERROR|(an Anthropic key sk-ant-\u2026",
        "urlconnection|Bearer gsk_Ab3dEf6hIj9kLm2nOp5qRs8tUv1w|ERROR|(a Groq key gsk_\u2026",
        "okhttp|Bearer hf_Ab3dEf6hIj9kLm2nOp5qRs8tUv1w|ERROR|(a Hugging Face token hf_\u2026",
        "urlconnection|Bearer xai-Ab3dEf6hIj9kLm2nOp5qRs8tUv1w|ERROR|(an xAI key xai-\u2026",
        "okhttp|Bearer AIzaSyAb3dEf6hIj9kLm2nOp5qRs8tUv1w|ERROR|(a Google key AIza\u2026",
        "okhttp|Bearer tgp_v1_Ab3dEf6hIj9kLm2nOp5qRs8t|WARN|have a tgp_v1_ key of the wrong length",
        "urlconnection|Bearer tgp_v1_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj*|WARN|unexpected characters",
    })
    void eachProblemOfARequestsKeyIsSaidOnceWithAHint(String client, String header, String level, String says) {
        String value = header.replace("@KEY@", ProbeArgs.KEY).replace("<SP>", " ").replace("<LF>", "\n");
        List<String> args = new ArrayList<>(List.of("--calls", "3"));
        args.addAll(value.equals("--no-auth") ? List.of("--no-auth") : List.of("--header", "Authorization:" + value));
        ChildJvm.Result r = run(client, SETTINGS, args.toArray(new String[0]));
        List<String> lines = r.agentLines().stream().filter(l -> l.contains(says)).toList();
        assertEquals(1, lines.size(), r.describe());
        assertTrue(lines.get(0).startsWith("[together-agent] " + level + " requests to Together "), r.describe());
        // Every finding comes with what to do about it.
        assertTrue(lines.get(0).contains(": "), r.describe());
        assertTrue(lines.get(0).endsWith("(said once for this key; later ones are counted)"), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void a401IsLoggedWithTheRedactedKeyAndTogethersMessageAndTheApplicationGetsItWhole(String client) {
        server.enqueue(401, Map.of(), BODY_401);
        server.enqueue(401, Map.of(), BODY_401);
        ChildJvm.Result r = run(client, SETTINGS, "--calls", "2");
        List<Outcome> outcomes = Outcome.parse(r.stdout);
        assertEquals(401, outcomes.get(0).status, r.describe());
        assertEquals(BODY_401, outcomes.get(0).body, r.describe());
        assertEquals(BODY_401, outcomes.get(1).body, r.describe());
        String redacted = "tgp_v1_\u20260000 (sha256:";
        assertEquals(1, r.agentLinesContaining("ERROR Together answered 401 for key " + redacted), r.describe());
        assertEquals(1, r.agentLinesContaining(": \"Invalid API key provided."), r.describe());
        assertEquals(2, server.requestCount(), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void a402SaysSpendingLimitAndIsNeverRetried(String client) {
        server.enqueue(402, Map.of("retry-after", "0"), "{\"error\":{\"message\":\"Credit limit exceeded\"}}");
        ChildJvm.Result r = run(client, SETTINGS);
        assertEquals(402, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(1, server.requestCount(), r.describe());
        assertEquals(1, r.agentLinesContaining("ERROR Together answered 402 for key tgp_v1_\u2026"), r.describe());
        assertEquals(1, r.agentLinesContaining("spending limit reached"), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void a429ForTheCreditLimitOrStatingAPerMinuteLimitIsNamed(String client) {
        server.enqueue(429, Map.of("retry-after-ms", "10"), "{\"error\":{\"message\":\"You have exceeded your credit"
                + " limit\",\"type\":\"credit_limit\"}}");
        server.enqueue(429, Map.of("retry-after-ms", "10"), "{\"error\":{\"message\":\"Rate limit reached: 60"
                + " queries per minute for this model\",\"type\":\"rate_limit\"}}");
        ChildJvm.Result r = run(client, SETTINGS);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, r.agentLinesContaining("WARN Together answered 429 for key tgp_v1_\u20260000"
                + " (sha256:"), r.describe());
        assertEquals(1, r.agentLinesContaining("because of its credit limit"), r.describe());
        assertEquals(1, r.agentLinesContaining("stating a limit of 60 queries per min"), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void theEnvironmentIsCrossCheckedOnceAndOnlyRedactedKeysAreNamed(String client) {
        String openAi = "sk-proj-Zz9yXx8wVv7uUt6sSr5qQp4oOn3m";
        ChildJvm.Result unset = jvm(client, SETTINGS).env("OPENAI_API_KEY", openAi)
                .runMain(probe(client), "--url", url(), "--calls", "2", "--header", "Authorization:Bearer " + openAi);
        assertEquals(1, unset.agentLinesContaining("WARN TOGETHER_API_KEY is not set, but OPENAI_API_KEY is (key"
                + " sk-proj-\u2026"), unset.describe());
        assertEquals(1, unset.agentLinesContaining(" from OPENAI_API_KEY"), unset.describe());

        String other = "tgp_v1_" + "1".repeat(43);
        ChildJvm.Result differs = jvm(client, SETTINGS).env("TOGETHER_API_KEY", other)
                .runMain(probe(client), "--url", url(), "--calls", "2");
        assertEquals(1, differs.agentLinesContaining(
                "WARN the first request to Together carries key tgp_v1_\u20260000"),
                differs.describe());
        assertEquals(1, differs.agentLinesContaining("but TOGETHER_API_KEY holds key tgp_v1_\u20261111"),
                differs.describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"okhttp|Bearer \"@KEY@\"", "urlconnection|Bearer @KEY@<LF>",
        "urlconnection|Bearer '@KEY@' "})
    void keyRepairTrimSendsTheKeyTrimmedAndSaysSoOnce(String client, String header) {
        String value = header.replace("@KEY@", ProbeArgs.KEY).replace("<LF>", "\n");
        ChildJvm.Result r = run(client, SETTINGS + ",key-repair=trim", "--calls", "2",
                "--header", "Authorization:" + value);
        assertEquals(200, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(2, server.requestCount(), r.describe());
        server.requests().forEach(q -> assertEquals("Bearer " + ProbeArgs.KEY, q.headers.get("authorization")));
        assertEquals(1, r.agentLinesContaining("key-repair=trim sends it trimmed"), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void keyCheckOffSaysNothing(String client) {
        server.enqueue(401, Map.of(), BODY_401);
        ChildJvm.Result r = run(client, SETTINGS + ",key-check=off", "--header", "Authorization:Bearer changeme");
        assertEquals(401, Outcome.parse(r.stdout).get(0).status, r.describe());
        assertEquals(0, keyLines(r), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void tenThousandRequestsWithABadKeyProduceAHandfulOfLines(String client) {
        ChildJvm.Result r = run(client, SETTINGS + ",summary-interval=1s", "--calls", "10000", "--linger-ms", "2500",
                "--header", "Authorization:Bearer sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z");
        assertEquals(10_000, Outcome.parse(r.stdout).size(), r.describe().substring(0, 2000));
        assertEquals(1, r.agentLinesContaining("ERROR requests to Together have another provider's API key"),
                r.stderr);
        // Every later request is counted, and the counts come out in the summaries: all 9,999 of them, in lines
        // written only while the count changed — at most one a second (summary-interval=1s) while the calls
        // lasted, none in the 2.5 s the probe lingers after them. At the default 5m: one line per five minutes.
        Pattern summary = Pattern.compile("WARN API key problems in the last 1s: (\\d+) more: ");
        long counted = 0;
        int summaries = 0;
        for (String line : r.agentLines()) {
            Matcher m = summary.matcher(line);
            if (m.find()) {
                summaries++;
                counted += Long.parseLong(m.group(1));
            }
        }
        assertEquals(9_999, counted, r.stderr);
        List<RecordedRequest> q = server.requests();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(q.get(q.size() - 1).receivedNanos - q.get(0).receivedNanos);
        assertTrue(summaries >= 1 && summaries <= seconds + 2, summaries + " summaries in " + seconds + " s\n"
                + r.stderr);
        assertFalse(r.stderr.contains("Ab3dEf6h"), r.stderr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"okhttp", "urlconnection"})
    void noPieceOfTheKeyEverAppearsInAnythingTheJvmWrote(String client) throws Exception {
        Path logFile = Files.createTempFile("agent", ".log");
        server.enqueue(429, Map.of("retry-after-ms", "10"), "{\"error\":{\"message\":\"credit_limit for key\"}}");
        server.enqueue(401, Map.of(), BODY_401);
        server.enqueue(402, Map.of(), "{\"error\":{\"message\":\"no credit\"}}");
        String quoted = "\"" + SECRET_KEY + "\"";
        ChildJvm.Result r = jvm(client, SETTINGS + ",log-level=debug")
                .env("TOGETHER_API_KEY", "tgp_v1_" + "2".repeat(43)).env("OPENAI_API_KEY", SECRET_KEY)
                .runMain(probe(client), "--url", url(), "--calls", "4", "--header", "Authorization:Bearer " + quoted);
        ChildJvm.Result toFile = jvm(client, SETTINGS + ",log-file=" + logFile)
                .env("TOGETHER_AI_API_KEY", SECRET_KEY)
                .runMain(probe(client), "--url", url(), "--calls", "2", "--header", "Authorization:Bearer " + quoted);
        String everything = r.stdout + r.stderr + toFile.stdout + toFile.stderr
                + new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        assertTrue(everything.contains("tgp_v1_\u2026"), everything);
        String secret = SECRET_KEY.substring("tgp_v1_".length());
        for (int i = 0; i + 8 <= secret.length(); i++) {
            String piece = secret.substring(i, i + 8);
            assertFalse(everything.contains(piece), "'" + piece + "' of the key appears in:\n" + everything);
        }
        Files.delete(logFile);
    }
}
