package io.togetheragent.instrumentation;

import java.lang.instrument.Instrumentation;
import java.util.List;

/** One HTTP client adapter: the methods it hooks, and what its hooks do. */
public interface ClientInstrumentation {
    /** @param inst for adapters of JDK modules, which must be made to read the bridge's (boot loader's) classes */
    List<MethodHook> hooks(Instrumentation inst) throws Exception;
}
