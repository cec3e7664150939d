package io.togetheragent.core.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
