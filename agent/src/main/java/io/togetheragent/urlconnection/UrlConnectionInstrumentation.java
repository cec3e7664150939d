package io.togetheragent.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.togetheragent.instrumentation.ClientInstrumentation;
import io.togetheragent.instrumentation.Modules;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code java.net.HttpURLConnection}. Every {@code url.openConnection()} for http and https ends in the JDK's
 * protocol handlers' {@code openConnection(URL, Proxy)}; for a Together host the agent hands the application a
 * {@link RetryingUrlConnection} in place of the JDK's connection, and never touches the JDK's own state.
 */
public final class UrlConnectionInstrumentation implements ClientInstrumentation {
    @Override
    public AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice,
                                   Instrumentation inst) throws ReflectiveOperationException {
        // java.base must be able to read the agent's classes, which the advice calls.
        Modules.addReads(inst, Object.class, UrlConnections.class);
        return builder
                .type(namedOneOf("sun.net.www.protocol.http.Handler", "sun.net.www.protocol.https.Handler"))
                .transform(advice.advice(named("openConnection").and(takesArguments(2)),
                        OpenConnectionAdvice.class.getName()));
    }
}
