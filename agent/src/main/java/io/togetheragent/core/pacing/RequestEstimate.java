package io.togetheragent.core.pacing;

import java.nio.charset.StandardCharsets;

/**
 * What pacing needs to know of a request before it is sent, read from its JSON body: the model it names (Together
 * limits each model apart) and an estimate of the tokens it costs (its characters / 4, as Together's own guidance
 * counts, plus the {@code max_tokens} it may generate). One pass over the bytes, without parsing the JSON into
 * objects: only the top level's {@code "model"} and {@code "max_tokens"} are looked at, wherever they stand (the
 * OpenAI SDK writes {@code messages} first, so the whole body is scanned).
 */
public final class RequestEstimate {
    /** A body that could not be read, or names no model: the key's own lane, cost unknown. */
    public static final RequestEstimate UNKNOWN = new RequestEstimate(null, 0);
    private static final int MAX_MODEL_LENGTH = 200;
    /** The top-level keys that matter, as {@link #key} tells them apart. */
    private static final int OTHER_KEY = 0;
    private static final int MODEL_KEY = 1;
    private static final int MAX_TOKENS_KEY = 2;
    /** The last model read; racy by design, as any model read is a right answer to compare against. */
    private static volatile String lastModel;

    /** The model named at the top level, or null. */
    public final String model;
    /** Estimated tokens the request costs; 0 when not known. */
    public final long tokens;

    private RequestEstimate(String model, long tokens) {
        this.model = model;
        this.tokens = tokens;
    }

    public static RequestEstimate of(byte[] body) {
        if (body == null || body.length == 0) {
            return UNKNOWN;
        }
        int i = skipSpace(body, 0);
        if (i >= body.length || body[i] != '{') {
            return UNKNOWN;
        }
        String model = null;
        long maxTokens = 0;
        int depth = 0;
        boolean expectKey = false;
        int key = OTHER_KEY;
        for (; i < body.length; i++) {
            byte b = body[i];
            if (b == '"') {
                int end = stringEnd(body, i);
                if (end < 0) {
                    return UNKNOWN;
                }
                if (depth == 1 && expectKey) {
                    key = key(body, i + 1, end);
                    expectKey = false;
                } else if (depth == 1 && key == MODEL_KEY && end - i - 1 <= MAX_MODEL_LENGTH) {
                    model = model(body, i + 1, end);
                }
                i = end;
            } else if (b == '{' || b == '[') {
                depth++;
                expectKey = depth == 1;
            } else if (b == '}' || b == ']') {
                depth--;
            } else if (b == ',' && depth == 1) {
                expectKey = true;
                key = OTHER_KEY;
            } else if (depth == 1 && b >= '0' && b <= '9' && key == MAX_TOKENS_KEY) {
                maxTokens = digits(body, i);
                key = OTHER_KEY;
            }
        }
        return model == null && maxTokens == 0 ? UNKNOWN
                : new RequestEstimate(model, (body.length + 3) / 4 + maxTokens);
    }

    /**
     * Which key the bytes between {@code start} and {@code end} spell, compared in place: a body has a dozen keys,
     * and a string made of each was most of what reading it allocated. As before, escapes are not decoded.
     */
    private static int key(byte[] body, int start, int end) {
        if (is(body, start, end, "model")) {
            return MODEL_KEY;
        }
        return is(body, start, end, "max_tokens") || is(body, start, end, "max_completion_tokens")
                || is(body, start, end, "max_new_tokens") ? MAX_TOKENS_KEY : OTHER_KEY;
    }

    /**
     * The model named by these bytes: the last one read when they spell it (a service names a handful of models,
     * so a new string for each request is rarely needed). Only an ASCII name is reused, as its bytes are its chars.
     */
    private static String model(byte[] body, int start, int end) {
        String last = lastModel;
        if (last != null && is(body, start, end, last)) {
            return last;
        }
        String model = new String(body, start, end - start, StandardCharsets.UTF_8);
        lastModel = model;
        return model;
    }

    /** Whether the bytes are the ASCII chars of {@code text}: a byte past ASCII is negative, a char never. */
    private static boolean is(byte[] body, int start, int end, String text) {
        if (end - start != text.length()) {
            return false;
        }
        for (int j = 0; j < text.length(); j++) {
            if (body[start + j] != text.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the quote that closes the string opened at {@code start}, or -1. */
    private static int stringEnd(byte[] body, int start) {
        for (int i = start + 1; i < body.length; i++) {
            if (body[i] == '\\') {
                i++;
            } else if (body[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static long digits(byte[] body, int start) {
        long n = 0;
        for (int i = start; i < body.length && body[i] >= '0' && body[i] <= '9' && n < 100_000_000; i++) {
            n = n * 10 + (body[i] - '0');
        }
        return n;
    }

    private static int skipSpace(byte[] body, int i) {
        while (i < body.length && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        return i;
    }
}
