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
        String key = null;
        for (; i < body.length; i++) {
            byte b = body[i];
            if (b == '"') {
                int end = stringEnd(body, i);
                if (end < 0) {
                    return UNKNOWN;
                }
                if (depth == 1 && expectKey) {
                    key = new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                    expectKey = false;
                } else if (depth == 1 && "model".equals(key) && end - i - 1 <= MAX_MODEL_LENGTH) {
                    model = new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                }
                i = end;
            } else if (b == '{' || b == '[') {
                depth++;
                expectKey = depth == 1;
            } else if (b == '}' || b == ']') {
                depth--;
            } else if (b == ',' && depth == 1) {
                expectKey = true;
                key = null;
            } else if (depth == 1 && b >= '0' && b <= '9' && isMaxTokens(key)) {
                maxTokens = digits(body, i);
                key = null;
            }
        }
        return model == null && maxTokens == 0 ? UNKNOWN
                : new RequestEstimate(model, (body.length + 3) / 4 + maxTokens);
    }

    private static boolean isMaxTokens(String key) {
        return "max_tokens".equals(key) || "max_completion_tokens".equals(key) || "max_new_tokens".equals(key);
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
