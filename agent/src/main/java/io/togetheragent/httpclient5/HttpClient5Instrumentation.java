package io.togetheragent.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Apache HttpClient 5.x, classic and async. Every {@code execute} overload ends in a {@code doExecute}: classic
 * {@code (HttpHost, ClassicHttpRequest, HttpContext)}, async {@code (HttpHost, AsyncRequestProducer,
 * AsyncResponseConsumer, HandlerFactory, HttpContext, FutureCallback)}, implemented in the classes below. The
 * client's default retry strategy is taught to stand aside for calls the agent retries (see {@link RetryLayer}).
 */
public final class HttpClient5Instrumentation implements ClientInstrumentation {
    private static final String[] CLASSIC_CLIENTS = {
        "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
    };
    private static final String[] ASYNC_CLIENTS = {
        "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
        "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase",
    };
    private static final String RETRY_STRATEGY = "org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy";
    private static final String HELPERS = "io.togetheragent.httpclient5.helper.";

    /** The retry helpers of each copy of HttpClient 5, for the advice. */
    public static final CallHooks CLASSIC = new CallHooks(HELPERS + "ClassicRetry", HELPERS + "Requests");
    public static final CallHooks ASYNC = new CallHooks(HELPERS + "AsyncRetry", HELPERS + "Requests",
            HELPERS + "AsyncCall", HELPERS + "AttemptConsumer");

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(namedOneOf(CLASSIC_CLIENTS))
                .transform(advice.advice(named("doExecute").and(takesArguments(3))
                                .and(takesArgument(1, named("org.apache.hc.core5.http.ClassicHttpRequest"))),
                        ClassicExecuteAdvice.class.getName()))
                .type(namedOneOf(ASYNC_CLIENTS))
                .transform(advice.advice(named("doExecute").and(takesArguments(6))
                                .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncRequestProducer"))),
                        AsyncExecuteAdvice.class.getName()))
                .type(named(RETRY_STRATEGY))
                .transform(advice.advice(named("retryRequest").and(takesArguments(3))
                                .and(takesArgument(0, named("org.apache.hc.core5.http.HttpResponse"))),
                        RetryStrategyAdvice.class.getName()));
    }
}
