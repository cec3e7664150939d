package io.togetheragent.core.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides which requests are Together traffic. Entries are {@code host}, {@code host:port} or
 * {@code *.domain[:port]}; names compare case-insensitively and any port matches unless one is given.
 */
public final class HostMatcher {
    private static final int ANY_PORT = -1;

    private final Entry[] entries;
    private final String text;

    private HostMatcher(List<Entry> entries, String text) {
        this.entries = entries.toArray(new Entry[0]);
        this.text = text;
    }

    /** Parses a comma-separated list; throws IllegalArgumentException naming the first bad entry. */
    public static HostMatcher parse(String list) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : list.split(",")) {
            String item = raw.trim().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            entries.add(Entry.parse(item));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no host given");
        }
        StringBuilder text = new StringBuilder();
        for (Entry e : entries) {
            text.append(text.length() == 0 ? "" : ",").append(e);
        }
        return new HostMatcher(entries, text.toString());
    }

    /** Called for every request of every client, so it allocates nothing: no lower-cased copy of the host. */
    public boolean matches(String host, int port) {
        if (host == null) {
            return false;
        }
        int from = 0;
        int to = host.length();
        if (to >= 2 && host.charAt(0) == '[' && host.charAt(to - 1) == ']') {
            from = 1;
            to--;
        }
        for (Entry e : entries) {
            if (e.matches(host, from, to, port)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class Entry {
        final String name;
        final boolean subdomains;
        final int port;
        /** ".name": what a subdomain ends with, made once rather than on every request. */
        private final String dottedName;

        Entry(String name, boolean subdomains, int port) {
            this.name = name;
            this.subdomains = subdomains;
            this.port = port;
            this.dottedName = "." + name;
        }

        static Entry parse(String item) {
            boolean subdomains = item.startsWith("*.");
            String rest = subdomains ? item.substring(2) : item;
            int port = ANY_PORT;
            int colon = rest.lastIndexOf(':');
            // A bracketed IPv6 literal holds colons of its own; only a colon after "]" starts a port.
            if (colon > 0 && (rest.indexOf(':') == colon || rest.startsWith("[") && colon > rest.indexOf(']'))) {
                port = parsePort(item, rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
            if (rest.startsWith("[") && rest.endsWith("]")) {
                rest = rest.substring(1, rest.length() - 1);
            }
            if (rest.isEmpty() || !rest.matches("[a-z0-9._:-]+") || rest.contains("..")) {
                throw new IllegalArgumentException("'" + item + "' is not a host name");
            }
            return new Entry(rest, subdomains, port);
        }

        private static int parsePort(String item, String port) {
            try {
                int p = Integer.parseInt(port);
                if (p > 0 && p < 65536) {
                    return p;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("'" + item + "' has no valid port");
        }

        /** @param host the request's host, the name in it from {@code from} to {@code to}, in any case */
        boolean matches(String host, int from, int to, int requestPort) {
            if (port != ANY_PORT && port != requestPort) {
                return false;
            }
            int length = to - from;
            return subdomains
                    ? length >= dottedName.length() && host.regionMatches(true, to - dottedName.length(), dottedName, 0,
                            dottedName.length())
                    : length == name.length() && host.regionMatches(true, from, name, 0, length);
        }

        @Override
        public String toString() {
            String host = name.indexOf(':') >= 0 ? "[" + name + "]" : name;
            return (subdomains ? "*." : "") + host + (port == ANY_PORT ? "" : ":" + port);
        }
    }
}
