package io.togetheragent.core.retry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Calls the agent retried to the end and handed back with a retry status, remembered for a while by fingerprint,
 * so that when a layer above (the OpenAI SDK, Spring Retry, an application loop) sends the same call again, that
 * attempt gets no fresh set of retries: a call then reaches the server at most max-retries + 1 + the layer's own
 * retries times, not their product.
 */
final class OuterRetries {
    /** How long a given-up call is remembered: longer than any SDK's back-off between its own attempts. */
    static final long MEMORY_NANOS = TimeUnit.MINUTES.toNanos(2);
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, Long> givenUp = new ConcurrentHashMap<>();

    /** True while no call is remembered: then no fingerprint need be computed. */
    boolean isEmpty() {
        return givenUp.isEmpty();
    }

    /** Whether this call is a layer above sending again a call the agent gave up on. */
    boolean isResend(Fingerprint call, long now) {
        Long until = givenUp.get(call.value());
        return until != null && until - now > 0;
    }

    void gaveUp(Fingerprint call, long now) {
        if (givenUp.size() >= MAX_ENTRIES) {
            for (Iterator<Long> it = givenUp.values().iterator(); it.hasNext(); ) {
                if (it.next() - now <= 0) {
                    it.remove();
                }
            }
            if (givenUp.size() >= MAX_ENTRIES) {
                givenUp.clear();
            }
        }
        givenUp.put(call.value(), now + MEMORY_NANOS);
    }

    /**
     * What makes two sends the same call: the request's idempotency key when the client sets one, else the method,
     * target, key and body, else (for an SDK's numbered attempts only) the sending thread. Computed only when
     * needed, as a SHA-256 digest.
     */
    static final class Fingerprint {
        private final byte[] body;
        private final String[] parts;
        private String value;

        Fingerprint(byte[] body, String... parts) {
            this.body = body;
            this.parts = parts;
        }

        String value() {
            if (value == null) {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    for (String part : parts) {
                        sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                        sha.update((byte) 0);
                    }
                    if (body != null) {
                        sha.update(body);
                    }
                    StringBuilder hex = new StringBuilder();
                    for (byte b : sha.digest()) {
                        hex.append(String.format("%02x", b));
                    }
                    value = hex.toString();
                } catch (java.security.NoSuchAlgorithmException e) {
                    value = String.join("\u0000", parts);
                }
            }
            return value;
        }
    }
}
