package io.togetheragent.it.probe;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link OkHttpProbe} with OkHttp loaded by an isolated class loader (no parent but the boot loader), as in
 * Spring Boot fat jars and servlet containers. Usage: {@code IsolatedOkHttpProbe <class-path> <probe args...>}.
 */
public final class IsolatedOkHttpProbe {
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        String[] probeArgs = new String[args.length - 1];
        System.arraycopy(args, 1, probeArgs, 0, probeArgs.length);
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]), null)) {
            Class.forName(OkHttpProbe.class.getName(), true, isolated)
                    .getMethod("main", String[].class).invoke(null, (Object) probeArgs);
        }
    }
}
