package io.togetheragent.logging;

import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the agent's own, relocated SLF4J. The application's SLF4J never sees it (its service
 * file is relocated too), and the agent never touches the application's logging configuration.
 */
public final class AgentLogProvider implements SLF4JServiceProvider {
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, AgentLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /**
     * Makes this the provider of the agent's SLF4J before its first logger. Left to itself, SLF4J looks for
     * providers on the whole class path (a service-loader scan, then a resource scan for old bindings: some 10 ms
     * of every JVM's start, more on a long class path) to find the one its relocated copy can ever have. SLF4J's
     * own fields are set, as its initialization would set them; if they are not as expected, SLF4J looks as usual.
     */
    public static void bindFirst() {
        try {
            Field provider = LoggerFactory.class.getDeclaredField("PROVIDER");
            Field state = LoggerFactory.class.getDeclaredField("INITIALIZATION_STATE");
            Field uninitialized = LoggerFactory.class.getDeclaredField("UNINITIALIZED");
            Field successful = LoggerFactory.class.getDeclaredField("SUCCESSFUL_INITIALIZATION");
            for (Field f : new Field[] {provider, state, uninitialized, successful}) {
                f.setAccessible(true);
            }
            AgentLogProvider ours = new AgentLogProvider();
            ours.initialize();
            // SLF4J initializes under this lock.
            synchronized (LoggerFactory.class) {
                if (state.getInt(null) == uninitialized.getInt(null)) {
                    provider.set(null, ours);
                    state.setInt(null, successful.getInt(null));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // SLF4J finds the provider through its service file, as it always could.
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Nothing to set up: LogOutput works from the first line on.
    }
}
