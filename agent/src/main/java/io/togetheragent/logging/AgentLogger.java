package io.togetheragent.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** The one logger behind the agent's SLF4J: formats the message and hands it to {@link LogOutput}. */
final class AgentLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    AgentLogger(String name) {
        this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, args);
        if (throwable != null) {
            message = message + ": " + throwable;
        }
        LogOutput.write(level, message);
    }

    @Override
    public boolean isTraceEnabled() {
        return LogOutput.enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogOutput.enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogOutput.enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogOutput.enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogOutput.enabled(Level.ERROR);
    }
}
