package io.togetheragent.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What can be said about an API key without revealing it: its redacted form, and what is wrong with its text.
 * Pure functions; {@link KeyCheck} decides what to log.
 */
public final class ApiKey {
    /** Prefixes it is safe to show: they say which provider a key is for, nothing about the key. Longest first. */
    private static final String[] KNOWN_PREFIXES = {
        "tgp_v1_", "sk-proj-", "sk-ant-", "sk-", "gsk_", "hf_", "xai-", "AIza",
    };
    /** Other providers' keys, sent to Together by mistake, and whose they are. Longest prefix first. */
    private static final String[][] OTHER_PROVIDERS = {
        {"sk-proj-", "an OpenAI project key"}, {"sk-ant-", "an Anthropic key"}, {"sk-", "an OpenAI key"},
        {"gsk_", "a Groq key"}, {"hf_", "a Hugging Face token"}, {"xai-", "an xAI key"}, {"AIza", "a Google key"},
    };
    private static final String TOGETHER_PREFIX = "tgp_v1_";
    private static final int TOGETHER_LENGTH = 50;
    private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9_-]*");
    /** Below this many secret characters, even the last four would say too much: only the hash is shown. */
    private static final int SHOW_LAST4_FROM = 16;

    private static final Pattern UNEXPANDED = Pattern.compile(
            "\\$\\{?[A-Za-z_][A-Za-z0-9_]*(:-?[^}]*)?}?|%[A-Za-z_][A-Za-z0-9_]*%");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "<[^>]*>|\\[[^]]*]|\\{\\{[^}]*}}|x{3,}|\\*{3,}|\\.{3,}|0{8,}"
                    + "|changeme|change_me|change-me|null|nil|none|undefined|empty|placeholder|dummy|fake|test|todo"
                    + "|wrong_or_missing_key|api_key|apikey|api-key|together_api_key|token|secret|key|password"
                    + "|.*your.*key.*|.*your.*token.*|insert.*|replace.*|enter.*|paste.*");

    private ApiKey() {}

    /**
     * The redacted form: a known prefix, "…", the last four characters when the key is long enough that they
     * say nothing, and the first 8 hex digits of the key's SHA-256, so two keys can be told apart. Never more.
     */
    public static String redacted(String token) {
        String prefix = "";
        for (String p : KNOWN_PREFIXES) {
            if (token.startsWith(p)) {
                prefix = p;
                break;
            }
        }
        String secret = token.substring(prefix.length());
        String last4 = secret.length() >= SHOW_LAST4_FROM ? secret.substring(secret.length() - 4) : "";
        return prefix + "\u2026" + last4 + " (sha256:" + hash(token) + ")";
    }

    /** The first 8 hex digits of the token's SHA-256. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The token with surrounding whitespace, line breaks and quotes removed (what {@code key-repair=trim} sends). */
    public static String trimmed(String token) {
        String t = token.trim();
        while (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }

    /** What is wrong with the text of the Authorization header's value, or null when nothing is. */
    public static KeyProblem problemOf(String authorization) {
        if (authorization == null) {
            return KeyProblem.MISSING;
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer")) {
            return value.isEmpty() ? KeyProblem.EMPTY : KeyProblem.NOT_BEARER;
        }
        String token = authorization.substring(authorization.indexOf(scheme) + scheme.length());
        // One space separates scheme and token; anything else around the token is the token's problem.
        token = token.startsWith(" ") ? token.substring(1) : token;
        return problemOfToken(token);
    }

    static KeyProblem problemOfToken(String token) {
        String clean = trimmed(token);
        if (clean.isEmpty()) {
            return KeyProblem.EMPTY;
        }
        if (!clean.equals(token.trim())) {
            return KeyProblem.QUOTED;
        }
        if (!clean.equals(token) || hasControlCharacters(token)) {
            return KeyProblem.WHITESPACE;
        }
        if (UNEXPANDED.matcher(clean).matches()) {
            return KeyProblem.UNEXPANDED_VARIABLE;
        }
        if (PLACEHOLDER.matcher(clean.toLowerCase(Locale.ROOT)).matches()) {
            return KeyProblem.PLACEHOLDER;
        }
        if (clean.startsWith(TOGETHER_PREFIX)) {
            return clean.length() == TOGETHER_LENGTH && TOKEN_CHARS.matcher(clean).matches()
                    ? null : KeyProblem.MALFORMED;
        }
        return otherProvider(clean) != null ? KeyProblem.OTHER_PROVIDER : null;
    }

    /** Whose key this is, when it is another provider's: "an OpenAI key". */
    public static String otherProvider(String token) {
        for (String[] p : OTHER_PROVIDERS) {
            if (token.startsWith(p[0])) {
                return p[1];
            }
        }
        return null;
    }

    /** The token of a Bearer header value, as sent (untrimmed), or null when there is none. */
    public static String tokenOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 6 || !value.substring(0, 6).equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = authorization.substring(authorization.indexOf(value.substring(0, 6)) + 6);
        return token.startsWith(" ") ? token.substring(1) : token;
    }

    private static boolean hasControlCharacters(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isISOControl(token.charAt(i)) || Character.isWhitespace(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
