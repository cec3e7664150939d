package io.togetheragent.testapp;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

/**
 * The bytes the JVM has allocated on its heap so far, all threads together, ended ones included: HotSpot's
 * {@code getTotalThreadAllocatedBytes}, JDK 21 and later (read by reflection: the test-app runs on 11 and 17 too).
 * Unlike CPU time it hardly moves with the machine's load, so a benchmark's with and without compare to the byte.
 */
final class HeapAllocation {
    private static final Method TOTAL = totalMethod();

    private HeapAllocation() {}

    /** The bytes allocated so far, or -1 where the JVM does not tell. */
    static long total() {
        try {
            return TOTAL == null ? -1 : (Long) TOTAL.invoke(ManagementFactory.getThreadMXBean());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /** " bytes-per-call=N" for the bytes allocated since {@code from}, or nothing where the JVM does not tell. */
    static String perCall(long from, int calls) {
        long now = total();
        return from < 0 || now < 0 ? "" : " bytes-per-call=" + (now - from) / Math.max(1, calls);
    }

    private static Method totalMethod() {
        try {
            Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getTotalThreadAllocatedBytes");
            m.invoke(ManagementFactory.getThreadMXBean());
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
