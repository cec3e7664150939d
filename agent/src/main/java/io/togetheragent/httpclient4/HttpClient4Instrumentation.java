package io.togetheragent.httpclient4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.CallHooks;
import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Apache HttpClient 4.3 and later. Every {@code execute} overload of a {@code CloseableHttpClient}, with or without
 * a {@code ResponseHandler} or {@code HttpContext}, ends in {@code doExecute(HttpHost, HttpRequest, HttpContext)};
 * the clients HttpClient builds implement it in these classes (the last is the deprecated
 * {@code DefaultHttpClient}'s).
 */
public final class HttpClient4Instrumentation implements ClientInstrumentation {
    static final String[] CLIENTS = {
        "org.apache.http.impl.client.InternalHttpClient",
        "org.apache.http.impl.client.MinimalHttpClient",
        "org.apache.http.impl.client.AbstractHttpClient",
    };

    /** The retry helper of each copy of HttpClient 4, for {@link DoExecuteAdvice}. */
    public static final CallHooks RETRY = new CallHooks("io.togetheragent.httpclient4.helper.HttpClient4Retry");

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(namedOneOf(CLIENTS))
                .transform(advice.advice(named("doExecute").and(takesArguments(3))
                                .and(takesArgument(0, named("org.apache.http.HttpHost")))
                                .and(takesArgument(1, named("org.apache.http.HttpRequest"))),
                        DoExecuteAdvice.class.getName()));
    }
}
