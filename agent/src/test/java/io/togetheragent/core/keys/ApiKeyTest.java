package io.togetheragent.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {
    private static final String KEY = "tgp_v1_" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIjK";

    @Test
    void aWellFormedTogetherKeyHasNoProblem() {
        assertEquals(50, KEY.length());
        assertNull(ApiKey.problemOf("Bearer " + KEY));
        assertNull(ApiKey.problemOf("bearer " + KEY));
        // Older keys without the prefix: lenient.
        assertNull(ApiKey.problemOf("Bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Basic dXNlcjpwYXNz|NOT_BEARER",
        "Bearer |EMPTY",
        "Bearer|EMPTY",
        "Bearer \"\"|EMPTY",
        "Bearer \"@KEY@\"|QUOTED",
        "Bearer '@KEY@'|QUOTED",
        "Bearer @KEY@<LF>|WHITESPACE",
        "Bearer <SP>@KEY@|WHITESPACE",
        "Bearer @KEY@<TAB>|WHITESPACE",
        "Bearer @KEY@<CR><LF>|WHITESPACE",
        "Bearer @KEY@<DEL>x|WHITESPACE",
        "Bearer YOUR_API_KEY|PLACEHOLDER",
        "Bearer <api-key>|PLACEHOLDER",
        "Bearer xxxxxxxxxxxx|PLACEHOLDER",
        "Bearer changeme|PLACEHOLDER",
        "Bearer null|PLACEHOLDER",
        "Bearer undefined|PLACEHOLDER",
        "Bearer wrong_or_missing_key|PLACEHOLDER",
        "Bearer your-together-api-key-here|PLACEHOLDER",
        "Bearer ${TOGETHER_API_KEY}|UNEXPANDED_VARIABLE",
        "Bearer $TOGETHER_API_KEY|UNEXPANDED_VARIABLE",
        "Bearer %TOGETHER_API_KEY%|UNEXPANDED_VARIABLE",
        "Bearer sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH|OTHER_PROVIDER",
        "Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789|OTHER_PROVIDER",
        "Bearer sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123|OTHER_PROVIDER",
        "Bearer gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCD|OTHER_PROVIDER",
        "Bearer hf_abcdefghijklmnopqrstuvwxyz0123456789|OTHER_PROVIDER",
        "Bearer xai-abcdefghijklmnopqrstuvwxyz0123456789|OTHER_PROVIDER",
        "Bearer AIzaSyAbcdefghijklmnopqrstuvwxyz012345|OTHER_PROVIDER",
        "Bearer tgp_v1_short|MALFORMED",
        "Bearer tgp_v1_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj!|MALFORMED",
    })
    void findsWhatIsWrong(String header, KeyProblem expected) {
        String h = header.replace("@KEY@", KEY).replace("<LF>", "\n").replace("<CR>", "\r").replace("<TAB>", "\t")
                .replace("<SP>", " ").replace("<DEL>", "\u007f");
        assertEquals(expected, ApiKey.problemOf(h));
    }

    @Test
    void noHeaderAtAllIsMissing() {
        assertEquals(KeyProblem.MISSING, ApiKey.problemOf(null));
        assertTrue(KeyProblem.MISSING.fatal);
        assertFalse(KeyProblem.WHITESPACE.fatal);
    }

    @Test
    void theRedactedFormShowsAKnownPrefixTheLastFourAndAShortHashOnly() {
        String r = ApiKey.redacted(KEY);
        assertTrue(r.startsWith("tgp_v1_\u2026hIjK (sha256:"), r);
        assertTrue(r.matches("tgp_v1_\u2026hIjK \\(sha256:[0-9a-f]{8}\\)"), r);
        assertEquals("sk-proj-\u2026", ApiKey.redacted("sk-proj-abcdefghijklmnopqrstuvwxyz").substring(0, 9));
        // Too short for the last four to be safe: only the hash.
        assertTrue(ApiKey.redacted("changeme").matches("\u2026 \\(sha256:[0-9a-f]{8}\\)"), ApiKey.redacted("x"));
        assertFalse(ApiKey.hash(KEY).equals(ApiKey.hash(KEY + "x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {" KEY", "KEY\n", "\"KEY\"", " 'KEY'\r\n"})
    void trimmingRemovesWhitespaceAndQuotesAroundTheKeyOnly(String token) {
        assertEquals(KEY, ApiKey.trimmed(token.replace("KEY", KEY)));
    }
}
