package io.togetheragent.testapp.standin;

import java.util.Locale;
import java.util.Map;

/**
 * What Together allows one model of an organisation: requests per second and, where set, tokens per second, each a
 * token bucket. A request goes only when both have room; it then takes one request and its tokens.
 */
final class ModelLimits {
    private final TokenBucket requests;
    private final TokenBucket tokens;

    ModelLimits(double rate, double burst, double tokenRate, double tokenBurst) {
        this.requests = new TokenBucket(rate, burst);
        this.tokens = tokenRate > 0 ? new TokenBucket(tokenRate, tokenBurst) : null;
    }

    /**
     * Admits a request of this many tokens or not, and puts the limit headers of the answer in {@code headers}.
     *
     * @return null when admitted, else Together's error type for the limit that refused it
     */
    synchronized String admit(long cost, Map<String, String> headers) {
        boolean requestRoom = requests.has(1);
        boolean tokenRoom = tokens == null || tokens.has(cost);
        String refusal = !requestRoom ? "dynamic_request_limited" : !tokenRoom ? "dynamic_token_limited" : null;
        if (refusal == null) {
            requests.take(1);
            if (tokens != null) {
                tokens.take(cost);
            }
        }
        headers.put("x-ratelimit-limit", format(requests.rate()));
        headers.put("x-ratelimit-remaining", String.valueOf(requests.remaining()));
        double reset = "dynamic_token_limited".equals(refusal) ? tokens.secondsUntil(cost) : requests.secondsToReset();
        headers.put("x-ratelimit-reset", format(reset));
        if (tokens != null) {
            headers.put("x-tokenlimit-limit", format(tokens.rate()));
            headers.put("x-tokenlimit-remaining", String.valueOf(tokens.remaining()));
        }
        return refusal;
    }

    double rate() {
        return requests.rate();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }
}
