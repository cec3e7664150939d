package io.togetheragent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;

/** One HTTP client adapter: which classes it instruments and with what advice. */
public interface ClientInstrumentation {
    /**
     * @param advice a transformer that finds advice classes in the agent jar and the client's types in the
     *     instrumented class's own loader; add this adapter's advice to it
     */
    AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice);
}
