package io.togetheragent.jdkhttpclient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code HttpClientFacade.sendAsync(request, handler)}. */
public final class SendAsyncAdvice {
    private SendAsyncAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static CompletableFuture<?> send(@Advice.This HttpClient client, @Advice.Argument(0) HttpRequest request,
                                     @Advice.Argument(1) HttpResponse.BodyHandler<?> handler) {
        return (CompletableFuture<?>) HttpClientHooks.get().sendAsync(client, request, handler, null);
    }

    @Advice.OnMethodExit
    static void answer(@Advice.Enter CompletableFuture<?> sent,
                       @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) CompletableFuture<?> result) {
        if (sent != null) {
            result = sent;
        }
    }
}
