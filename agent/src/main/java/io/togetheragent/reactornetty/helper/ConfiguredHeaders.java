package io.togetheragent.reactornetty.helper;

import io.netty.handler.codec.http.HttpHeaders;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import reactor.netty.http.client.HttpClientConfig;

/**
 * A header set on a Reactor Netty client. {@code HttpClientConfig.headers()} hands out a copy of them all, made
 * anew on every call; the agent reads one of them for each Together request, so it reads Reactor Netty's own
 * (package-private) field instead, which every version from 1.0 to 1.3 has. Reactor Netty is never a named module
 * that keeps its packages closed (an automatic one at most), so no JVM flag is needed; if the field ever goes, the
 * copy it is.
 */
final class ConfiguredHeaders {
    private static final MethodHandle FIELD = field();

    private ConfiguredHeaders() {}

    static String get(HttpClientConfig config, String name) {
        if (FIELD != null) {
            try {
                HttpHeaders headers = (HttpHeaders) FIELD.invokeExact(config);
                return headers.get(name);
            } catch (Throwable t) {
                // The field read as it did once cannot fail; should it, the public getter answers.
            }
        }
        return config.headers().get(name);
    }

    private static MethodHandle field() {
        try {
            Field f = HttpClientConfig.class.getDeclaredField("headers");
            if (f.getType() != HttpHeaders.class) {
                return null;
            }
            f.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(f);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
