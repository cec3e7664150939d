package io.togetheragent.reactornetty.helper;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.function.Supplier;
import reactor.netty.http.client.HttpClientConfig;

/** Where a request of a Reactor Netty client goes: its host, port and path, as Reactor Netty resolves its URI. */
final class Target {
    final String host;
    final int port;
    final String path;

    private Target(String host, int port, String path) {
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * The target of a client's request, or null when it is not known before the request is sent (a URI given as a
     * {@code Mono}, a relative URI without a base URL or a host).
     */
    static Target of(HttpClientConfig config) {
        String uri = config.uri();
        if (uri == null) {
            return null;
        }
        String base = config.baseUrl();
        boolean absolute = uri.contains("://");
        URI full;
        if (absolute) {
            full = URI.create(uri);
        } else if (base != null) {
            full = URI.create(base.endsWith("/") && uri.startsWith("/") ? base + uri.substring(1) : base + uri);
        } else {
            // A relative URI goes to the client's host(...) and port(...), over TLS when secure() was asked for.
            Supplier<? extends SocketAddress> remote = config.remoteAddress();
            SocketAddress address = remote == null ? null : remote.get();
            if (!(address instanceof InetSocketAddress)) {
                return null;
            }
            InetSocketAddress inet = (InetSocketAddress) address;
            return new Target(inet.getHostString(), inet.getPort(), path(URI.create(uri).getRawPath()));
        }
        if (full.getHost() == null) {
            return null;
        }
        boolean secure = "https".equalsIgnoreCase(full.getScheme()) || "wss".equalsIgnoreCase(full.getScheme());
        int port = full.getPort() != -1 ? full.getPort() : secure ? 443 : 80;
        return new Target(full.getHost(), port, path(full.getRawPath()));
    }

    private static String path(String raw) {
        return raw == null || raw.isEmpty() ? "/" : raw;
    }
}
