package io.togetheragent.core.shared;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the shared limit lives: {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS, as
 * Redis' own clients write it. The password may instead come from the environment ({@link #PASSWORD_ENV}), so that
 * it need not stand in a JVM flag; it is never shown: {@link #toString()} is the redacted form.
 */
public final class RedisUrl {
    /** The environment variable holding the password when the URL has none. */
    public static final String PASSWORD_ENV = "TOGETHER_AGENT_SHARED_LIMIT_PASSWORD";

    private static final Pattern URL = Pattern.compile(
            "(rediss?)://(?:([^:@/]*)(?::([^@/]*))?@)?(\\[[0-9a-fA-F:.]+]|[^:/@\\[\\]]+)"
                    + "(?::(\\d{1,5}))?(?:/(\\d{1,2})?)?");

    final boolean tls;
    final String user;
    final String password;
    final String host;
    final int port;
    final int database;

    private RedisUrl(boolean tls, String user, String password, String host, int port, int database) {
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.database = database;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong, never repeating the password
     */
    public static RedisUrl parse(String text) {
        Matcher m = URL.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected off, or redis://[user:password@]host:port[/db]"
                    + " or rediss://...");
        }
        int port = m.group(5) == null ? 6379 : Integer.parseInt(m.group(5));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be from 1 to 65535");
        }
        int database = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        String host = m.group(4).startsWith("[") ? m.group(4).substring(1, m.group(4).length() - 1) : m.group(4);
        // "redis://:secret@host" is a password without a user, as redis-cli takes it.
        String user = m.group(2) == null || m.group(2).isEmpty() ? null : decode(m.group(2));
        String password = m.group(3) == null ? null : decode(m.group(3));
        if (password == null && user != null) {
            password = user;
            user = null;
        }
        return new RedisUrl(m.group(1).toLowerCase(Locale.ROOT).equals("rediss"), user, password, host, port,
                database);
    }

    /** This URL with the password from the environment, where it has none of its own. */
    public RedisUrl withPasswordFrom(java.util.Map<String, String> environment) {
        String fromEnv = environment.get(PASSWORD_ENV);
        if (password != null || fromEnv == null || fromEnv.isEmpty()) {
            return this;
        }
        return new RedisUrl(tls, user, fromEnv, host, port, database);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), "UTF-8");
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
            return text;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisUrl && toString().equals(o.toString())
                && java.util.Objects.equals(password, ((RedisUrl) o).password);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** The redacted form, for logs and JMX: the password as {@code ***}. */
    @Override
    public String toString() {
        String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String auth = user == null && password == null ? ""
                : (user == null ? "" : user) + (password == null ? "" : ":***") + "@";
        return (tls ? "rediss" : "redis") + "://" + auth + hostPart + ":" + port
                + (database == 0 ? "" : "/" + database);
    }
}
