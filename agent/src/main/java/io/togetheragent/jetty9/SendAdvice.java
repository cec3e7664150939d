package io.togetheragent.jetty9;

import net.bytebuddy.asm.Advice;

/** Inlined into {@code HttpRequest.send(listener)}: a Together call takes its turn, now or later. */
public final class SendAdvice {
    private SendAdvice() {}

    /** @return true when the agent sends the request later, at its turn: the method is then skipped */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean send(@Advice.Origin Class<?> type, @Advice.This Object request,
                        @Advice.Argument(0) Object listener, @Advice.FieldValue("client") Object client)
            throws java.io.IOException {
        return Jetty9Instrumentation.HOOKS.get(type).call(request, listener, client) != null;
    }
}
