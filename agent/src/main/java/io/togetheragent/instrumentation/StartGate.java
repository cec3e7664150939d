package io.togetheragent.instrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's one class file transformer when it starts with the JVM. The agent's start (settings, logging, the
 * bridge, the retry core) runs on a thread of its own beside the application's; a class the agent hooks that
 * loads before the start is done waits for it here (a bounded wait), then goes to the weaver the start hands over.
 * Every other class passes at once. Being the only transformer, it never lets a class be woven twice.
 */
public final class StartGate implements ClassFileTransformer, Consumer<ClassFileTransformer> {
    /** The most a hooked class's loading waits for the start; after that it loads as it is, and is woven later. */
    private static final long WAIT_SECONDS = 10;

    private final Instrumentation inst;
    private final Set<String> hooked = Installer.hookedInternalNames();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile ClassFileTransformer weaver;
    private volatile Thread starter;

    public StartGate(Instrumentation inst) {
        this.inst = inst;
    }

    /** The thread that runs the start: a class it loads itself never waits for it (it is woven afterwards). */
    public void startsOn(Thread thread) {
        starter = thread;
    }

    /** The start hands over its weaver. */
    @Override
    public void accept(ClassFileTransformer weaver) {
        this.weaver = weaver;
        started.countDown();
    }

    /** The start is over: without a weaver (mode=off, or it failed), the gate goes, and nothing is woven. */
    public void startEnded() {
        started.countDown();
        if (weaver == null) {
            inst.removeTransformer(this);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfile) throws IllegalClassFormatException {
        if (className == null || !hooked.contains(className)) {
            return null;
        }
        ClassFileTransformer to = weaver;
        if (to == null) {
            // The start's own thread goes on: its classes loaded before the weaver is known are woven when the
            // start retransforms what is already loaded.
            if (Thread.currentThread() == starter || !awaitStart(className)) {
                return null;
            }
            to = weaver;
            if (to == null) {
                return null;
            }
        }
        return to.transform(loader, className, classBeingRedefined, domain, classfile);
    }

    private boolean awaitStart(String className) {
        try {
            if (started.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            System.err.println("[together-agent] WARN " + className.replace('/', '.') + " loaded while the agent was"
                    + " still starting, after " + WAIT_SECONDS + " s: it is woven once the agent has started, and"
                    + " calls made through it before then pass untouched");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
