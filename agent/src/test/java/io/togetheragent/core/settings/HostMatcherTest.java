package io.togetheragent.core.settings;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
