package io.togetheragent.jetty9;

import net.bytebuddy.asm.Advice;

/** Inlined at the end of {@code HttpClient.doStart()}, where Jetty adds its own protocol handlers. */
public final class StartAdvice {
    private StartAdvice() {}

    @Advice.OnMethodExit
    static void started(@Advice.Origin Class<?> type, @Advice.This Object client) throws Exception {
        // The helpers are kept per HttpRequest class, as the send advice asks for them: one copy per Jetty.
        Class<?> request = Class.forName("org.eclipse.jetty.client.HttpRequest", false,
                type.getClassLoader());
        Jetty9Instrumentation.HOOKS.get(request).call(client);
    }
}
