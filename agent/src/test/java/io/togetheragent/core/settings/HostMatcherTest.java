package io.togetheragent.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostMatcherTest {
    private final HostMatcher defaults = HostMatcher.parse(Setting.HOSTS.defaultText());

    @Test
    void matchesTogethersHostsOnAnyPortIgnoringCase() {
        assertTrue(defaults.matches("api.together.xyz", 443));
        assertTrue(defaults.matches("API.Together.AI", 8443));
        assertTrue(defaults.matches("my-endpoint.api.together.ai", 443));
        assertTrue(defaults.matches("a.b.api.together.ai", 443));
    }

    @Test
    void doesNotMatchLookAlikes() {
        assertFalse(defaults.matches("api.together.xyz.evil.com", 443));
        assertFalse(defaults.matches("evilapi.together.ai", 443));
        assertFalse(defaults.matches("together.ai", 443));
        assertFalse(defaults.matches("api.openai.com", 443));
        assertFalse(defaults.matches(null, 443));
    }

    @Test
    void aGivenPortMustMatch() {
        HostMatcher m = HostMatcher.parse("gateway.internal:8443, *.corp:80, [::1]:9000, 127.0.0.1");
        assertTrue(m.matches("gateway.internal", 8443));
        assertFalse(m.matches("gateway.internal", 443));
        assertTrue(m.matches("llm.corp", 80));
        assertTrue(m.matches("::1", 9000));
        assertTrue(m.matches("[::1]", 9000));
        assertTrue(m.matches("127.0.0.1", 1234));
    }

    @Test
    void rejectsWhatIsNotAHost() {
        assertThrows(IllegalArgumentException.class, () -> HostMatcher.parse("https://api.together.xyz"));
        assertThrows(IllegalArgumentException.class, () -> HostMatcher.parse("api.together.xyz:http"));
        assertThrows(IllegalArgumentException.class, () -> HostMatcher.parse("api.together.xyz:70000"));
        assertThrows(IllegalArgumentException.class, () -> HostMatcher.parse(" , "));
    }

    /** The matcher compares in place, without a lower-cased copy: it must answer as a comparison of copies would. */
    @Test
    void answersAsComparingLowerCasedCopiesWould() {
        HostMatcher m = HostMatcher.parse("api.together.xyz,*.together.ai,[::1]:9000,gw.corp:8443");
        String[] parts = {"api", "API", "together", "ToGeThEr", "xyz", "ai", "AI", "evil", "", ".", "gw", "corp",
            "::1", "x"};
        Random random = new Random(18);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder host = new StringBuilder();
            for (int n = random.nextInt(4) + 1, k = 0; k < n; k++) {
                host.append(k == 0 ? "" : ".").append(parts[random.nextInt(parts.length)]);
            }
            String h = random.nextInt(8) == 0 ? "[" + host + "]" : host.toString();
            int port = random.nextBoolean() ? 9000 : random.nextBoolean() ? 8443 : 443;
            assertEquals(byCopies(h, port), m.matches(h, port), h + ":" + port);
        }
    }

    private static boolean byCopies(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        h = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        return h.equals("api.together.xyz") || h.endsWith(".together.ai") || h.equals("::1") && port == 9000
                || h.equals("gw.corp") && port == 8443;
    }
}
