package io.togetheragent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.togetheragent.bridge.Bridge;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The woven code, on a class of this test's own: what each kind of hook sees and changes, with primitive and
 * wide parameters and returns, loops at a method's start, and handlers of the method's own. The class is loaded,
 * so the JVM's verifier checks every woven method (and its frames) too.
 */
class ClassWeavingTest {
    /** The class the hooks are woven into; its methods are what a client's might be. */
    public static final class Target {
        private final String name = "target";
        public final List<String> log = new ArrayList<>();

        public Target() {
            log.add("constructed");
        }

        public Target(String first, long wide, double wider, int[] ints) {
            log.add(first + wide + wider + ints.length);
        }

        public String greet(String who, long times) {
            log.add("body");
            return "hello " + who + " x" + times;
        }

        public void run(boolean fast) {
            log.add("ran " + fast);
        }

        public boolean decide(int status) {
            return status == 429;
        }

        public long count(long from) {
            return from + 1;
        }

        /** A loop at offset 0: its frame and the woven start's must not collide. */
        public int sum(int n) {
            int s = 0;
            while (n > 0) {
                s += n--;
            }
            return s;
        }

        public String fail(String how) throws IOException {
            try {
                if (how.equals("caught")) {
                    throw new IllegalStateException("caught inside");
                }
            } catch (IllegalStateException own) {
                return "handled";
            }
            if (how.equals("io")) {
                throw new IOException("thrown out");
            }
            return "fine";
        }

        public static String twice(String s) {
            return s + s;
        }
    }

    private final List<String> seen = new ArrayList<>();

    private Class<?> weave(MethodHook... hooks) throws Exception {
        for (MethodHook hook : hooks) {
            hook.id = Bridge.register(hook);
        }
        byte[] original;
        String resource = Target.class.getName().replace('.', '/') + ".class";
        try (InputStream in = Target.class.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        List<String> woven = new ArrayList<>();
        byte[] bytes = ClassWeaving.weave(original, Arrays.asList(hooks), woven);
        assertEquals(hooks.length, woven.size(), woven.toString());
        return new ClassLoader(ClassWeavingTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(Target.class.getName(), bytes, 0, bytes.length);
            }
        }.define();
    }

    private static MethodHook on(String method) {
        return MethodHook.on(Target.class.getName(), method);
    }

    private static Object call(Object target, String method, Class<?>[] types, Object... args) throws Throwable {
        Method m = target.getClass().getMethod(method, types);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> log(Object target) throws Exception {
        return (List<String>) target.getClass().getField("log").get(target);
    }

    @Test
    void aSkippingHookReturnsInPlaceOfTheBodyAndNullRunsIt() throws Throwable {
        Class<?> c = weave(on("greet").takes("java.lang.String", "long")
                .skipWith((origin, self, args) -> {
                    String hookedClass = origin.getName().substring(origin.getName().lastIndexOf('$') + 1);
                    seen.add(hookedClass + " " + args[0] + " " + args[1]);
                    return args[0].equals("agent") ? "from the hook" : null;
                }));
        Object target = c.getConstructor().newInstance();
        Class<?>[] types = {String.class, long.class};
        assertEquals("from the hook", call(target, "greet", types, "agent", 3L));
        assertEquals("hello app x3", call(target, "greet", types, "app", 3L));
        assertEquals(List.of("Target agent 3", "Target app 3"), seen);
        assertEquals(List.of("constructed", "body"), log(target), "the body ran once, for the call the hook left");
    }

    @Test
    void skippedVoidAndPrimitiveMethodsReturnNothingAndZero() throws Throwable {
        Class<?> c = weave(on("run").takes("boolean").skipWith((origin, self, args) -> (Boolean) args[0] ? "" : null),
                on("count").takes("long").skipWith((origin, self, args) -> (Long) args[0] > 100 ? "skip" : null));
        Object target = c.getConstructor().newInstance();
        call(target, "run", new Class<?>[] {boolean.class}, true);
        call(target, "run", new Class<?>[] {boolean.class}, false);
        assertEquals(List.of("constructed", "ran false"), log(target));
        assertEquals(0L, call(target, "count", new Class<?>[] {long.class}, 500L));
        assertEquals(8L, call(target, "count", new Class<?>[] {long.class}, 7L));
    }

    @Test
    void anExitHookReplacesWhatIsReturnedBoxedOrNot() throws Throwable {
        Class<?> c = weave(on("decide").takes("int").atExit((returned, origin, self, args) -> {
                    seen.add(returned + " for " + args[0]);
                    return Boolean.FALSE;
                }),
                on("greet").takes("java.lang.String", "long")
                        .atExit((returned, origin, self, args) -> returned + "!"),
                on("twice").atExit((returned, origin, self, args) -> {
                    assertNull(self);
                    return returned + "?";
                }));
        Object target = c.getConstructor().newInstance();
        assertEquals(false, call(target, "decide", new Class<?>[] {int.class}, 429));
        assertEquals(List.of("true for 429"), seen);
        assertEquals("hello x x2!", call(target, "greet", new Class<?>[] {String.class, long.class}, "x", 2L));
        assertEquals("aa?", c.getMethod("twice", String.class).invoke(null, "a"));
    }

    @Test
    void aConstructorsStartSeesItsWideArgumentsInOrder() throws Throwable {
        Object[] got = new Object[1];
        Class<?> c = weave(on("<init>").takes("java.lang.String", "long", "double", "int[]")
                .atEnter((origin, self, args) -> {
                    assertNull(self, "this is not yet made");
                    got[0] = args;
                    return "ignored: a constructor always runs";
                }));
        int[] ints = {1, 2};
        Object target = c.getConstructor(String.class, long.class, double.class, int[].class)
                .newInstance("a", 5L, 1.5, ints);
        assertArrayEquals(new Object[] {"a", 5L, 1.5, ints}, (Object[]) got[0]);
        assertEquals(List.of("a51.52"), log(target));
    }

    @Test
    void aLoopAtTheStartStillRuns() throws Throwable {
        Class<?> c = weave(on("sum").takes("int").skipWith((origin, self, args) -> null)
                .atExit((returned, origin, self, args) -> (Integer) returned * 10));
        Object target = c.getConstructor().newInstance();
        assertEquals(150, call(target, "sum", new Class<?>[] {int.class}, 5));
    }

    @Test
    void theThrownHookSeesWhatTheBodyThrowsButNotWhatItCatchesNorTheExitHooks() throws Throwable {
        Class<?> c = weave(on("fail").takes("java.lang.String").withFields("name")
                .skipWith((origin, self, args) -> {
                    seen.add("enter " + args[0] + " " + args[1]);
                    return null;
                })
                .atExit((returned, origin, self, args) -> {
                    if (returned.equals("fine")) {
                        throw new IllegalArgumentException("from the exit hook");
                    }
                    return returned;
                })
                .onThrown((thrown, origin) -> seen.add("thrown " + thrown.getMessage())));
        Object target = c.getConstructor().newInstance();
        Class<?>[] types = {String.class};
        assertEquals("handled", call(target, "fail", types, "caught"));
        IOException io = assertThrows(IOException.class, () -> call(target, "fail", types, "io"));
        assertEquals("thrown out", io.getMessage());
        assertThrows(IllegalArgumentException.class, () -> call(target, "fail", types, "ok"));
        assertEquals(List.of("enter caught target", "enter io target", "thrown thrown out", "enter ok target"), seen);
    }

    @Test
    void aHookWhoseClassLacksTheRequiredSiblingIsNotWoven() throws Exception {
        MethodHook hook = on("sum").takes("int").onlyWhereDeclared("noSuchMethod", 0)
                .atEnter((origin, self, args) -> null);
        byte[] original;
        try (InputStream in = Target.class.getClassLoader()
                .getResourceAsStream(Target.class.getName().replace('.', '/') + ".class")) {
            original = in.readAllBytes();
        }
        List<String> woven = new ArrayList<>();
        assertNull(ClassWeaving.weave(original, List.of(hook), woven));
        assertTrue(woven.isEmpty());
        assertSame(null, ClassWeaving.weave(original, List.of(on("nothing").atEnter((o, s, a) -> null)), woven));
    }
}
