package io.togetheragent.core.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.togetheragent.core.HeaderList;
import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.HeaderPairs;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LimitHeadersTest {
    /** The header values' grammar as a pattern, and Java's own parse: what the hand-written reader must equal. */
    private static final Pattern GRAMMAR = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    private static double byTheGrammar(String value) {
        return GRAMMAR.matcher(value.trim()).matches() ? Double.parseDouble(value.trim()) : -1;
    }

    @Test
    void readsEveryValueAsTheGrammarAndJavasParseDo() {
        String[] values = {"0", "1", "600", " 60 ", "\t7\r", "0.5", "1.1", "59.999999999", "000000000001",
            "999999999999", "999999999999.999999999", "123456789012.123", "1234567.12345678", "0.000000001",
            "1234567890123", "1.1234567891", "", " ", ".", "5.", ".5", "1..2", "1.2.3", "-1", "+1", "1e3", "NaN",
            "Infinity", "0x10", "1,5", "١٢", "1 2", "1_000"};
        for (String v : values) {
            assertEquals(byTheGrammar(v), LimitHeaders.decimal(v), "'" + v + "'");
        }
        Random random = new Random(42);
        String alphabet = "0123456789.0123456789 x";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder v = new StringBuilder();
            for (int i = random.nextInt(24); i > 0; i--) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(byTheGrammar(v.toString()), LimitHeaders.decimal(v.toString()), "'" + v + "'");
        }
    }

    @Test
    void walkingAListReadsWhatAskingForEachNameReads() {
        String[] names = {"x-ratelimit-limit", "X-RateLimit-Limit", "x-ratelimit-limit-dynamic", "x-tokenlimit-limit",
            "X-TOKENLIMIT-LIMIT-DYNAMIC", "x-ratelimit-reset", "x-ratelimit-remaining", "x-ratelimit-remaining-dynamic",
            "x-tokenlimit-remaining", "x-tokenlimit-remaining-dynamic", "x-ratelimit-", "x-ratelimit-limitx",
            "X-RATELIMIT-RESET", "x-ratelimit-resex", "x-ratelimit-remaining-dynamiC",
            "content-type", "retry-after", null};
        String[] values = {"10", "0.5", "600", "3", "x", " 7 ", "", null};
        Random random = new Random(18);
        for (int n = 0; n < 50_000; n++) {
            String[] pairs = new String[2 * random.nextInt(14)];
            for (int i = 0; i < pairs.length; i += 2) {
                pairs[i] = names[random.nextInt(names.length)];
                pairs[i + 1] = values[random.nextInt(values.length)];
            }
            HeaderList list = new HeaderPairs(pairs);
            HeaderLookup asked = list::get;
            LimitHeaders walked = LimitHeaders.from(list);
            LimitHeaders expected = LimitHeaders.from(asked);
            String what = Arrays.toString(pairs);
            assertEquals(expected.requestLimit, walked.requestLimit, what);
            assertEquals(expected.requestsLeft, walked.requestsLeft, what);
            assertEquals(expected.resetNanos, walked.resetNanos, what);
            assertEquals(expected.tokenLimit, walked.tokenLimit, what);
            assertEquals(expected.tokensLeft, walked.tokensLeft, what);
        }
    }

    @Test
    void takesTheTighterOfAValueAndItsDynamicVariant() {
        LimitHeaders h = LimitHeaders.from(name -> {
            switch (name) {
                case "x-ratelimit-limit": return "10";
                case "x-ratelimit-limit-dynamic": return "4.5";
                case "x-ratelimit-remaining-dynamic": return "3";
                case "x-ratelimit-reset": return "0.25";
                case "x-tokenlimit-limit": return "soon";
                default: return null;
            }
        });
        assertEquals(4.5, h.requestLimit);
        assertEquals(3, h.requestsLeft);
        assertEquals(250_000_000L, h.resetNanos);
        assertEquals(0, h.tokenLimit);
        assertEquals(-1, h.tokensLeft);
    }
}
