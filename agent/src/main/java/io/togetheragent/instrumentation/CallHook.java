package io.togetheragent.instrumentation;

import java.io.IOException;

/**
 * How advice inlined into a client library reaches the adapter's helper. The agent's own classes live in the boot
 * loader and cannot name the library's types, so this boundary speaks only {@code Object}; the helper, defined
 * under the library's loader, casts back.
 */
public interface CallHook {
    /** The call's final result, or null to let the client run the call itself, as if the agent were absent. */
    Object call(Object client, Object... args) throws IOException;
}
