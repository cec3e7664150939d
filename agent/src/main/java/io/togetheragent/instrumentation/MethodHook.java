package io.togetheragent.instrumentation;

import io.togetheragent.bridge.Hook;
import io.togetheragent.core.FailOpen;
import java.util.ArrayList;
import java.util.List;

/**
 * One method an adapter hooks: which class and method (matched by name and by the parameter and return types the
 * adapter relies on), and what runs at its start, before its returns and when it throws. Types are named as in Java
 * source ({@code okhttp3.OkHttpClient$Builder}, {@code boolean}); matching never loads a class.
 */
public final class MethodHook implements Hook {
    /** At the start; null runs the body, anything else is returned in its place if the hook {@link #skips}. */
    public interface Enter {
        Object enter(Class<?> origin, Object self, Object[] args) throws Throwable;
    }

    /** Before each return; what the method returns instead ({@code returned} is null for a void method). */
    public interface Exit {
        Object exit(Object returned, Class<?> origin, Object self, Object[] args) throws Throwable;
    }

    /** When the body throws; the exception is thrown on (whatever the hook may throw is reported, not thrown). */
    public interface Thrown {
        void thrown(Throwable thrown, Class<?> origin) throws Throwable;
    }

    final String className;
    /** The number {@code Bridge} knows the hook by, once registered. */
    int id = -1;
    final Signature method;
    Signature requiredSibling;
    final List<String> fields = new ArrayList<>();
    private Enter enter;
    boolean skips;
    private Exit exit;
    private Thrown thrown;

    private MethodHook(String className, String methodName) {
        this.className = className.replace('.', '/');
        this.method = new Signature(methodName);
    }

    /** @param methodName {@code <init>} for a constructor */
    public static MethodHook on(String className, String methodName) {
        return new MethodHook(className, methodName);
    }

    /** Exactly these parameters. */
    public MethodHook takes(String... types) {
        method.takes(types);
        return this;
    }

    public MethodHook takesCount(int count) {
        method.count = count;
        return this;
    }

    public MethodHook takes(int index, String type) {
        method.arg(index, type);
        return this;
    }

    public MethodHook returns(String type) {
        method.returns = Signature.descriptor(type);
        return this;
    }

    /** Hooks the class only if it also declares a method of this name whose parameter {@code index} is {@code type}. */
    public MethodHook onlyWhereDeclared(String methodName, int index, String type) {
        requiredSibling = new Signature(methodName);
        requiredSibling.arg(index, type);
        return this;
    }

    public MethodHook onlyWhereDeclared(String methodName, int count) {
        requiredSibling = new Signature(methodName);
        requiredSibling.count = count;
        return this;
    }

    /** The values of these fields of {@code this} follow the arguments. */
    public MethodHook withFields(String... names) {
        for (String name : names) {
            fields.add(name);
        }
        return this;
    }

    public MethodHook atEnter(Enter hook) {
        this.enter = hook;
        return this;
    }

    /** A non-null result of the hook is returned without running the body (a primitive's default is). */
    public MethodHook skipWith(Enter hook) {
        this.enter = hook;
        this.skips = true;
        return this;
    }

    public MethodHook atExit(Exit hook) {
        this.exit = hook;
        return this;
    }

    public MethodHook onThrown(Thrown hook) {
        this.thrown = hook;
        return this;
    }

    boolean entering() {
        return enter != null;
    }

    boolean exiting() {
        return exit != null;
    }

    boolean catching() {
        return thrown != null;
    }

    @Override
    public Object enter(Class<?> origin, Object self, Object[] args) throws Throwable {
        return enter.enter(origin, self, args);
    }

    @Override
    public Object exit(Object returned, Class<?> origin, Object self, Object[] args) throws Throwable {
        return exit.exit(returned, origin, self, args);
    }

    @Override
    public void thrown(Throwable t, Class<?> origin) {
        try {
            thrown.thrown(t, origin);
        } catch (Throwable own) {
            FailOpen.report("the hook on " + this + " as it threw", own);
        }
    }

    @Override
    public String toString() {
        return className.replace('/', '.') + "." + method.name;
    }
}
