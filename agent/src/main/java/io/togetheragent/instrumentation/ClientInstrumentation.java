package io.togetheragent.instrumentation;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/** One HTTP client adapter: which classes it instruments and with what advice. */
public interface ClientInstrumentation {
    /**
     * @param advice a transformer that finds advice classes in the agent jar and the client's types in the
     *     instrumented class's own loader; add this adapter's advice to it
     * @param inst for adapters of JDK modules, which must be made to read the agent's classes
     */
    AgentBuilder instrument(AgentBuilder builder, AgentBuilder.Transformer.ForAdvice advice, Instrumentation inst)
            throws Exception;
}
