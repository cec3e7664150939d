package io.togetheragent.core.pacing;

/** Which of Together's limits a 429 reported: they are paced apart, so a refusal cuts only its own pace. */
public enum Limit {
    REQUESTS("request limit"),
    TOKENS("token limit"),
    /** Neither the body nor the headers said: paced as the request limit, as before token limits were read. */
    UNKNOWN(null);

    /** For log lines; null when not known. */
    public final String description;

    Limit(String description) {
        this.description = description;
    }

    /**
     * What a 429 reported: the error type in its body ({@code dynamic_token_limited}, {@code
     * dynamic_request_limited}) where the adapter can read it, else its headers: which limit shows nothing left.
     *
     * @param body the response body, or null when not available
     * @param tokens the tokens the request was estimated to cost, or 0 when not known
     */
    public static Limit of429(String body, LimitHeaders headers, long tokens) {
        if (body != null) {
            if (body.contains("token_limited")) {
                return TOKENS;
            }
            if (body.contains("request_limited")) {
                return REQUESTS;
            }
        }
        if (headers.requestsLeft >= 0 && headers.requestsLeft < 1) {
            return REQUESTS;
        }
        if (headers.tokensLeft >= 0 && headers.tokensLeft < Math.max(1, tokens)) {
            return TOKENS;
        }
        return UNKNOWN;
    }
}
