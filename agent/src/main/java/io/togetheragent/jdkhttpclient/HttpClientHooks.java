package io.togetheragent.jdkhttpclient;

import io.togetheragent.core.FailOpen;
import io.togetheragent.instrumentation.HelperClassLoader;

/** Makes the one {@link HttpClientHook} on first use, so JVMs that never use java.net.http pay nothing. */
public final class HttpClientHooks {
    static final String[] HELPERS = {
        "io.togetheragent.jdkhttpclient.helper.HttpClientRetry",
        "io.togetheragent.jdkhttpclient.helper.Attempt",
        "io.togetheragent.jdkhttpclient.helper.AsyncCall",
        "io.togetheragent.jdkhttpclient.helper.PublishedBytes",
        "io.togetheragent.jdkhttpclient.helper.CallAttempts",
        "io.togetheragent.jdkhttpclient.helper.RecordedBody",
        "io.togetheragent.jdkhttpclient.helper.HeldBody",
        "io.togetheragent.jdkhttpclient.helper.JdkHeaders",
    };

    private static final HttpClientHook ABSENT = new HttpClientHook() {
        @Override
        public Object send(Object client, Object request, Object handler) {
            return null;
        }

        @Override
        public Object sendAsync(Object client, Object request, Object handler, Object pushPromiseHandler) {
            return null;
        }
    };

    private static volatile HttpClientHook hook;

    private HttpClientHooks() {}

    public static HttpClientHook get() {
        HttpClientHook h = hook;
        return h != null ? h : create();
    }

    private static synchronized HttpClientHook create() {
        if (hook == null) {
            try {
                FailOpen.injectFault("install");
                ClassLoader helpers = new HelperClassLoader(ClassLoader.getPlatformClassLoader(), HELPERS);
                hook = (HttpClientHook) Class.forName(HELPERS[0], true, helpers).getConstructor().newInstance();
            } catch (Throwable t) {
                FailOpen.report("loading the java.net.http retry", t);
                hook = ABSENT;
            }
        }
        return hook;
    }
}
