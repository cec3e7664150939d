package io.togetheragent.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.togetheragent.core.settings.SettingsLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class KeyCheckTest {
    public static final String GOOD = "Bearer tgp_v1_" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIjK";

    private static KeyCheck check(String args) {
        return new KeyCheck(SettingsLoader.load(args, Map.of(), Map.of()).settings, Map.of());
    }

    @Test
    void repairTrimsOnlyWhenAskedAndOnlyWhitespaceAndQuotes() {
        String padded = "Bearer \"" + GOOD.substring(7) + "\"\n";
        assertEquals(padded, check("").repaired(padded));
        assertEquals(GOOD, check("key-repair=trim").repaired(padded));
        assertEquals(padded, check("key-repair=trim,key-check=off").repaired(padded));
        // observe alters no request.
        assertEquals(padded, check("key-repair=trim,mode=observe").repaired(padded));
        String other = "Bearer sk-abcdefghijklmnopqrstuvwxyz";
        assertEquals(other, check("key-repair=trim").repaired(other));
        assertEquals(null, check("key-repair=trim").repaired(null));
    }

    @Test
    void onlyKeyStatusesWantABody() {
        KeyCheck c = check("");
        assertEquals(true, c.wantsBody(401));
        assertEquals(true, c.wantsBody(402));
        assertEquals(true, c.wantsBody(429));
        assertEquals(false, c.wantsBody(503));
        assertEquals(false, c.wantsBody(200));
        assertEquals(false, check("key-check=off").wantsBody(401));
    }
}
