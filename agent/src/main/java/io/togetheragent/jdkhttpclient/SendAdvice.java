package io.togetheragent.jdkhttpclient;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code HttpClientFacade.send}: the agent sends a Together call and returns the final response. */
public final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static HttpResponse<?> send(@Advice.This HttpClient client, @Advice.Argument(0) HttpRequest request,
                                @Advice.Argument(1) HttpResponse.BodyHandler<?> handler)
            throws IOException, InterruptedException {
        return (HttpResponse<?>) HttpClientHooks.get().send(client, request, handler);
    }

    @Advice.OnMethodExit
    static void answer(@Advice.Enter HttpResponse<?> sent,
                       @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) HttpResponse<?> response) {
        if (sent != null) {
            response = sent;
        }
    }
}
