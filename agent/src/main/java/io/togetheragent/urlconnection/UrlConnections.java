package io.togetheragent.urlconnection;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.ThreadFlag;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.core.settings.Mode;
import io.togetheragent.core.settings.Settings;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import javax.net.ssl.HttpsURLConnection;

/** Which connections the agent takes over, and how it opens the fresh ones its retries need. */
public final class UrlConnections {
    /** Set while the agent opens a connection for its own attempt: that one stays the JDK's. */
    private static final ThreadFlag OPENING = new ThreadFlag();

    private UrlConnections() {}

    public static URLConnection wrap(URLConnection connection, URL url, Proxy proxy) {
        try {
            FailOpen.injectFault("install");
            Settings settings = RetryPolicy.current().settings();
            if (OPENING.isRaised() || !(connection instanceof HttpURLConnection)
                    || connection instanceof RetryingUrlConnection || connection instanceof RetryingHttpsUrlConnection
                    || settings.mode() == Mode.OFF
                    || !settings.hosts().matches(url.getHost(), port(url))) {
                return connection;
            }
            RetryingUrlConnection retrying = new RetryingUrlConnection((HttpURLConnection) connection, url, proxy);
            return connection instanceof HttpsURLConnection ? new RetryingHttpsUrlConnection(retrying, url) : retrying;
        } catch (Throwable t) {
            FailOpen.report("taking over an HttpURLConnection", t);
            return connection;
        }
    }

    static HttpURLConnection open(URL url, Proxy proxy) throws IOException {
        OPENING.raise();
        try {
            return (HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy));
        } finally {
            OPENING.lower();
        }
    }

    static int port(URL url) {
        return url.getPort() != -1 ? url.getPort() : url.getDefaultPort();
    }
}
