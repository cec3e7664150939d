package io.togetheragent.jdkhttpclient;

import java.io.IOException;

/**
 * How the hooks of {@code java.net.http} reach its helper, {@code helper.HttpClientRetry}, which a
 * {@code HelperClassLoader} defines under the platform loader: the agent may be running from the boot loader, which
 * cannot see {@code java.net.http}'s types, so this boundary speaks only {@code Object}.
 */
public interface HttpClientHook {
    /** The final {@code HttpResponse}, or null to let the client send the request itself. */
    Object send(Object client, Object request, Object handler) throws IOException, InterruptedException;

    /** A {@code CompletableFuture} of the final response, or null to let the client send the request itself. */
    Object sendAsync(Object client, Object request, Object handler, Object pushPromiseHandler);
}
