package io.togetheragent.httpclient4;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.protocol.HttpContext;

/** Inlined into {@code doExecute}: the agent runs a Together call's attempts and returns the final response. */
public final class DoExecuteAdvice {
    private DoExecuteAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static CloseableHttpResponse execute(@Advice.This CloseableHttpClient client, @Advice.Argument(0) HttpHost target,
                                         @Advice.Argument(1) HttpRequest request,
                                         @Advice.Argument(2) HttpContext context) throws IOException {
        return (CloseableHttpResponse) HttpClient4Instrumentation.RETRY.get(CloseableHttpClient.class)
                .call(client, target, request, context);
    }

    @Advice.OnMethodExit
    static void answer(@Advice.Enter CloseableHttpResponse sent,
                       @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC)
                       CloseableHttpResponse response) {
        if (sent != null) {
            response = sent;
        }
    }
}
