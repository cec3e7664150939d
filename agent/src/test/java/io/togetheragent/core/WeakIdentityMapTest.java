package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {
    /** Equal by equals but not the same object: a map by identity tells them apart. */
    private static final class Twin {
        @Override
        public boolean equals(Object other) {
            return other instanceof Twin;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void keysAreTheirObjectsNotTheirEquals() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        Twin a = new Twin();
        Twin b = new Twin();
        map.put(a, "a");
        assertEquals("a", map.get(a));
        assertNull(map.get(b));
        assertTrue(map.containsKey(a));
        assertFalse(map.containsKey(b));
        map.put(a, "again");
        assertEquals(1, map.size());
        assertEquals("again", map.remove(a));
        assertNull(map.get(a));
    }

    @Test
    void anEntryWhoseKeyIsCollectedGoesAtALaterPut() throws InterruptedException {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        map.put(new Object(), "forgotten");
        Object kept = new Object();
        for (int i = 0; i < 50 && map.size() > 0 + (map.containsKey(kept) ? 1 : 0); i++) {
            System.gc();
            Thread.sleep(10);
            map.put(kept, "kept");
        }
        assertEquals(1, map.size());
        assertEquals("kept", map.get(kept));
    }
}
