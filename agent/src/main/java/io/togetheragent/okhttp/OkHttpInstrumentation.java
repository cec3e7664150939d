package io.togetheragent.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.ClientInstrumentation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * OkHttp 3.x, 4.x and 5.x. Every client, however built (including {@code newBuilder().build()} and the
 * no-argument constructor, which delegates), passes through {@code OkHttpClient(Builder)}: that is where the
 * retry interceptor joins the builder's application interceptors.
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {
    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) {
        return builder
                .type(named("okhttp3.OkHttpClient"))
                .transform(advice.advice(
                        isConstructor().and(takesArguments(1))
                                .and(takesArgument(0, named("okhttp3.OkHttpClient$Builder"))),
                        OkHttpClientAdvice.class.getName()));
    }
}
