package io.togetheragent.jdkhttpclient;

import java.io.IOException;

/**
 * How advice inside {@code java.net.http} reaches the agent. The agent's classes live in the boot loader, which
 * cannot see {@code java.net.http} (a platform-loader module), so this boundary speaks only {@code Object}; the
 * implementation, {@code helper.HttpClientRetry}, is defined under the platform loader by a {@code HelperClassLoader}.
 */
public interface HttpClientHook {
    /** The final {@code HttpResponse}, or null to let the client send the request itself. */
    Object send(Object client, Object request, Object handler) throws IOException, InterruptedException;

    /** A {@code CompletableFuture} of the final response, or null to let the client send the request itself. */
    Object sendAsync(Object client, Object request, Object handler, Object pushPromiseHandler);
}
