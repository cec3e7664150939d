package io.togetheragent.reactornetty.helper;

import io.togetheragent.core.RequestTarget;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.function.Supplier;
import reactor.netty.http.client.HttpClientConfig;

/** Where a request of a Reactor Netty client goes, as Reactor Netty resolves its URI. */
final class Target {
    private Target() {}

    /**
     * The target of a client's request, or null when it is not known before the request is sent (a URI given as a
     * {@code Mono}, a relative URI without a base URL or a host).
     */
    static RequestTarget of(HttpClientConfig config) {
        String uri = config.uri();
        if (uri == null) {
            return null;
        }
        if (uri.contains("://")) {
            return RequestTarget.ofUrl(uri);
        }
        String base = config.baseUrl();
        if (base != null) {
            String joined = base.endsWith("/") && uri.startsWith("/") ? base + uri.substring(1) : base + uri;
            return RequestTarget.ofUrl(joined);
        }
        // A relative URI goes to the client's host(...) and port(...), over TLS when secure() was asked for.
        Supplier<? extends SocketAddress> remote = config.remoteAddress();
        SocketAddress address = remote == null ? null : remote.get();
        if (!(address instanceof InetSocketAddress)) {
            return null;
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return new RequestTarget(inet.getHostString(), inet.getPort(), URI.create(uri).getRawPath());
    }
}
