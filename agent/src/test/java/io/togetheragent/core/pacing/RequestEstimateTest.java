package io.togetheragent.core.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestEstimateTest {
    @Test
    void findsTheTopLevelModelWhereverItStands() {
        // As the OpenAI Java SDK writes it: messages first, and a "model" inside them that is not the request's.
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"model\\\": x\",\"model\":\"inner\"}],"
                + " \"model\" : \"meta-llama/Llama-3.3-70B-Instruct-Turbo\", \"max_tokens\": 512}";
        RequestEstimate e = RequestEstimate.of(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("meta-llama/Llama-3.3-70B-Instruct-Turbo", e.model);
        assertEquals((json.length() + 3) / 4 + 512, e.tokens);
    }

    @Test
    void readsTheOtherNamesOfTheGenerationLimit() {
        String json = "{\"model\":\"m\",\"max_completion_tokens\":100}";
        assertEquals((json.length() + 3) / 4 + 100, RequestEstimate.of(bytes(json)).tokens);
        assertEquals(4, RequestEstimate.of(bytes("{\"model\":\"m\"}")).tokens, "13 characters / 4 without a limit");
    }

    @Test
    void whatIsNotAJsonObjectNamingAModelIsUnknown() {
        assertSame(RequestEstimate.UNKNOWN, RequestEstimate.of(null));
        assertSame(RequestEstimate.UNKNOWN, RequestEstimate.of(new byte[0]));
        assertSame(RequestEstimate.UNKNOWN, RequestEstimate.of(bytes("model=m")));
        assertSame(RequestEstimate.UNKNOWN, RequestEstimate.of(bytes("[{\"model\":\"m\"}]")));
        assertSame(RequestEstimate.UNKNOWN, RequestEstimate.of(bytes("{\"model\":\"m")));
        assertNull(RequestEstimate.of(bytes("{\"input\":\"x\",\"max_tokens\":5}")).model);
        assertNull(RequestEstimate.of(bytes("{\"model\":{\"name\":\"m\"}}")).model);
    }

    @Test
    void aModelNamedAgainIsTheStringReadBeforeNotACopy() {
        String first = RequestEstimate.of(bytes("{\"model\":\"meta-llama/Llama-3.3-70B\"}")).model;
        assertSame(first, RequestEstimate.of(bytes("{\"messages\":[],\"model\":\"meta-llama/Llama-3.3-70B\"}")).model);
        assertEquals("meta-llama/Llama-3.3-70",
                RequestEstimate.of(bytes("{\"model\":\"meta-llama/Llama-3.3-70\"}")).model);
        // Not ASCII: its bytes are not its chars, so it is read anew, and read right, each time.
        assertEquals("modèle-ü", RequestEstimate.of(bytes("{\"model\":\"modèle-ü\"}")).model);
        assertEquals("modèle-ü", RequestEstimate.of(bytes("{\"model\":\"modèle-ü\"}")).model);
    }

    @Test
    void readsAsComparingEachKeyAsAStringWould() {
        String[] parts = {"{", "}", "[", "]", ",", ":", " ", "\"model\"", "\"Model\"", "\"model \"", "\"mode\"",
            "\"max_tokens\"", "\"max_completion_tokens\"", "\"max_new_tokens\"", "\"max_token\"", "\"m\"",
            "\"llama\"", "\"modèle\"", "\"a\\\"b\"", "\"\\u006dodel\"", "12", "0", "7x", "true", "\"\""};
        Random random = new Random(18);
        for (int n = 0; n < 100_000; n++) {
            StringBuilder json = new StringBuilder("{");
            for (int i = random.nextInt(30); i > 0; i--) {
                json.append(parts[random.nextInt(parts.length)]);
            }
            byte[] body = bytes(json.toString());
            RequestEstimate read = RequestEstimate.of(body);
            Expected expected = byKeyStrings(body);
            assertEquals(expected.model, read.model, json.toString());
            assertEquals(expected.tokens, read.tokens, json.toString());
        }
    }

    /** The reading before keys were compared in place: each top-level key made into a string. */
    private static Expected byKeyStrings(byte[] body) {
        String model = null;
        long maxTokens = 0;
        int depth = 0;
        boolean expectKey = false;
        String key = null;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == '"') {
                int end = i + 1;
                while (end < body.length && body[end] != '"') {
                    end += body[end] == '\\' ? 2 : 1;
                }
                if (end >= body.length) {
                    return new Expected(null, 0);
                }
                String text = new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                if (depth == 1 && expectKey) {
                    key = text;
                    expectKey = false;
                } else if (depth == 1 && "model".equals(key) && end - i - 1 <= 200) {
                    model = text;
                }
                i = end;
            } else if (b == '{' || b == '[') {
                depth++;
                expectKey = depth == 1;
            } else if (b == '}' || b == ']') {
                depth--;
            } else if (b == ',' && depth == 1) {
                expectKey = true;
                key = null;
            } else if (depth == 1 && b >= '0' && b <= '9' && ("max_tokens".equals(key)
                    || "max_completion_tokens".equals(key) || "max_new_tokens".equals(key))) {
                long digits = 0;
                for (int j = i; j < body.length && body[j] >= '0' && body[j] <= '9' && digits < 100_000_000; j++) {
                    digits = digits * 10 + (body[j] - '0');
                }
                maxTokens = digits;
                key = null;
            }
        }
        return model == null && maxTokens == 0 ? new Expected(null, 0)
                : new Expected(model, (body.length + 3) / 4 + maxTokens);
    }

    private static final class Expected {
        final String model;
        final long tokens;

        Expected(String model, long tokens) {
            this.model = model;
            this.tokens = tokens;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
