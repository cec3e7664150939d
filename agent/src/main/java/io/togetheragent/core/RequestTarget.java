package io.togetheragent.core;

/** Where a request goes: the host, port and path the agent's settings and lanes know it by. */
public final class RequestTarget {
    public final String host;
    public final int port;
    public final String path;

    /** @param path the raw path; empty or null is "/" */
    public RequestTarget(String host, int port, String path) {
        this.host = host;
        this.port = port;
        this.path = path == null || path.isEmpty() ? "/" : path;
    }

    /**
     * An absolute URL's host (an IPv6 address in its brackets), port (the scheme's when none is given) and raw
     * path; null when it names no host or its port is not a number. Read by hand, not by java.net.URI's full
     * parse: for a client that names its URL as a string, this is read for each of its requests, to any host.
     */
    public static RequestTarget ofUrl(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return null;
        }
        String scheme = url.substring(0, schemeEnd);
        int authorityStart = schemeEnd + 3;
        int authorityEnd = endOf(url, authorityStart, "/?#");
        // user:password@ before the host
        int hostStart = url.lastIndexOf('@', authorityEnd - 1) + 1;
        hostStart = Math.max(hostStart, authorityStart);
        int portColon;
        if (hostStart < authorityEnd && url.charAt(hostStart) == '[') {
            int close = url.indexOf(']', hostStart);
            if (close < 0 || close >= authorityEnd) {
                return null;
            }
            portColon = close + 1 < authorityEnd && url.charAt(close + 1) == ':' ? close + 1 : -1;
            if (portColon < 0 && close + 1 != authorityEnd) {
                return null;
            }
        } else {
            portColon = url.indexOf(':', hostStart);
            portColon = portColon >= 0 && portColon < authorityEnd ? portColon : -1;
        }
        int hostEnd = portColon >= 0 ? portColon : authorityEnd;
        if (hostEnd == hostStart) {
            return null;
        }
        int port;
        if (portColon < 0 || portColon + 1 == authorityEnd) {
            boolean secure = "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme);
            port = secure ? 443 : 80;
        } else {
            port = digits(url, portColon + 1, authorityEnd);
            if (port < 0) {
                return null;
            }
        }
        String path = url.substring(authorityEnd, endOf(url, authorityEnd, "?#"));
        return new RequestTarget(url.substring(hostStart, hostEnd), port, path);
    }

    private static int endOf(String s, int from, String stops) {
        for (int i = from; i < s.length(); i++) {
            if (stops.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /** The number written from {@code from} to {@code to}, or -1 when it is not one (or has over 5 digits). */
    private static int digits(String s, int from, int to) {
        if (to - from > 5) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
