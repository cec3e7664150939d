package io.togetheragent.urlconnection;

import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import net.bytebuddy.asm.Advice;

/** Inlined into the JDK's http and https {@code Handler.openConnection(URL, Proxy)}. */
public final class OpenConnectionAdvice {
    private OpenConnectionAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void wrap(@Advice.Argument(0) URL url, @Advice.Argument(1) Proxy proxy,
                     @Advice.Return(readOnly = false) URLConnection connection) {
        connection = UrlConnections.wrap(connection, url, proxy);
    }
}
