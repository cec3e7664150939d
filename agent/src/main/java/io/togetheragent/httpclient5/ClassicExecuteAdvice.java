package io.togetheragent.httpclient5;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Inlined into classic {@code doExecute}: the agent runs a Together call's attempts and returns the final response. */
public final class ClassicExecuteAdvice {
    private ClassicExecuteAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static CloseableHttpResponse execute(@Advice.This CloseableHttpClient client, @Advice.Argument(0) HttpHost target,
                                         @Advice.Argument(1) ClassicHttpRequest request,
                                         @Advice.Argument(2) HttpContext context) throws IOException {
        return (CloseableHttpResponse) HttpClient5Instrumentation.CLASSIC.get(CloseableHttpClient.class)
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
