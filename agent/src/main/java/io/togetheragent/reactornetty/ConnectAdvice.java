package io.togetheragent.reactornetty;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import reactor.netty.http.client.HttpClient;

/** Inlined into {@code HttpClientConnect.connect()}: a Together call's connection comes through the agent's retry. */
public final class ConnectAdvice {
    private ConnectAdvice() {}

    @Advice.OnMethodExit
    static void connect(@Advice.This Object client,
                        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object connection)
            throws java.io.IOException {
        Object retrying = ReactorNettyInstrumentation.HOOKS.get(HttpClient.class).call(client, connection);
        if (retrying != null) {
            connection = retrying;
        }
    }
}
