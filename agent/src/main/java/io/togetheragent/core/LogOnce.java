package io.togetheragent.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers which explanations were already given, so each is logged once per JVM. */
public final class LogOnce {
    private static final Set<String> said = ConcurrentHashMap.newKeySet();

    private LogOnce() {}

    public static boolean first(String key) {
        return said.add(key);
    }
}
