package io.togetheragent.httpclient5;

import java.io.IOException;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Inlined into async {@code doExecute}: the agent runs a Together call's attempts behind one future. */
public final class AsyncExecuteAdvice {
    private AsyncExecuteAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Future<?> execute(@Advice.This CloseableHttpAsyncClient client, @Advice.Argument(0) HttpHost target,
                             @Advice.Argument(1) AsyncRequestProducer producer,
                             @Advice.Argument(2) AsyncResponseConsumer<?> consumer,
                             @Advice.Argument(3) HandlerFactory<AsyncPushConsumer> push,
                             @Advice.Argument(4) HttpContext context,
                             @Advice.Argument(5) FutureCallback<?> callback) throws IOException {
        return (Future<?>) HttpClient5Instrumentation.ASYNC.get(CloseableHttpAsyncClient.class)
                .call(client, target, producer, consumer, push, context, callback);
    }

    @Advice.OnMethodExit
    static void answer(@Advice.Enter Future<?> sent,
                       @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Future<?> future) {
        if (sent != null) {
            future = sent;
        }
    }
}
