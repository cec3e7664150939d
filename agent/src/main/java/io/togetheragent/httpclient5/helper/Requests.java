package io.togetheragent.httpclient5.helper;

import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderArray;
import io.togetheragent.core.HeaderList;
import io.togetheragent.core.keys.KeyCheck;
import io.togetheragent.core.retry.CallRetry;
import io.togetheragent.core.retry.RetryPolicy;
import io.togetheragent.httpclient5.RetryLayer;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.MessageHeaders;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;

/** What the classic and async retries share: where a request goes, headers, the one-retry-layer mark. */
final class Requests {
    private Requests() {}

    /**
     * Starts steering a call, or returns null when the agent leaves it alone.
     *
     * @param target the host the application named, or null: then the request's own authority
     * @param head the request, or null when it cannot be looked at without sending it
     */
    static CallRetry begin(HttpHost target, HttpRequest head, String whyNotReplayable, String where) {
        try {
            URIAuthority authority = head == null ? null : head.getAuthority();
            String host = target != null ? target.getHostName() : authority != null ? authority.getHostName() : null;
            if (host == null) {
                return null;
            }
            int port = target != null ? target.getPort() : authority.getPort();
            String scheme = target != null ? target.getSchemeName() : head.getScheme();
            if (port < 0) {
                port = "https".equalsIgnoreCase(scheme) ? 443 : 80;
            }
            CallRetry retry = RetryPolicy.current().begin(head == null ? "(request)" : head.getMethod(), host, port,
                    head == null ? "" : path(head.getPath()), whyNotReplayable, Long.MAX_VALUE,
                    head == null ? KeyCheck.NOT_SEEN : authorization(head), head != null);
            return retry == null || head == null ? retry : retry.identify(name -> header(head, name), () -> null);
        } catch (Throwable t) {
            FailOpen.report(where, t);
            return null;
        }
    }

    private static String path(String requestPath) {
        if (requestPath == null || requestPath.isEmpty()) {
            return "/";
        }
        int query = requestPath.indexOf('?');
        return query < 0 ? requestPath : requestPath.substring(0, query);
    }

    private static String authorization(HttpRequest request) {
        Header h = request.getFirstHeader("Authorization");
        return h == null ? null : h.getValue();
    }

    /** Sends the repaired key ({@code key-repair=trim}) instead of the application's, when they differ. */
    static void repairKey(HttpRequest request, CallRetry retry) {
        String repaired = retry.repairedAuthorization();
        if (request != null && repaired != null) {
            request.setHeader("Authorization", repaired);
        }
    }

    /**
     * A response's headers for the core, which reads ten names of each answer: one copy of the list, walked once,
     * where getFirstHeader walks it for each name.
     */
    static HeaderList headers(MessageHeaders response) {
        return new HeaderArray<>(response.getHeaders(), Header::getName, Header::getValue);
    }

    /** A header of a request or a response (both are messages of HttpCore 5). */
    static String header(MessageHeaders message, String name) {
        Header h = message.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    /**
     * The context all attempts of the call share (the application's, or a new one as the client would make), marked
     * when the agent resends the call, so the client's own retry strategy stands aside (see {@link RetryLayer}).
     */
    static HttpContext shared(HttpContext context, CallRetry retry) {
        HttpContext shared = context != null ? context : HttpClientContext.create();
        if (retry.resends()) {
            shared.setAttribute(RetryLayer.ATTRIBUTE, Boolean.TRUE);
        }
        return shared;
    }

    /** The call is over: the application's context is as it gave it. */
    static void unmark(HttpContext shared) {
        shared.removeAttribute(RetryLayer.ATTRIBUTE);
    }
}
