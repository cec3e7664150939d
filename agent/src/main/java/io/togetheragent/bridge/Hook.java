package io.togetheragent.bridge;

/**
 * What the code woven into a client's method calls, through {@link Bridge}. Boot-loaded, like the bridge: it may
 * name JDK types only. Implementations live with the rest of the agent.
 */
public interface Hook {
    /** At the method's start: null to run the method's body, anything else to return it in the body's place. */
    Object enter(Class<?> origin, Object self, Object[] args) throws Throwable;

    /** Before each return of the body: what the method returns in place of {@code returned}. */
    Object exit(Object returned, Class<?> origin, Object self, Object[] args) throws Throwable;

    /** When the body throws {@code thrown}, which is then thrown on. */
    void thrown(Throwable thrown, Class<?> origin);
}
