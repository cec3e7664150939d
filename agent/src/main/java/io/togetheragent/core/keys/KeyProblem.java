package io.togetheragent.core.keys;

/** What can be wrong with the key a request carries, how bad it is, and how to fix it. */
public enum KeyProblem {
    MISSING(true, "have no Authorization header",
            "set TOGETHER_API_KEY (or the key your client reads) so requests carry 'Authorization: Bearer <key>'"),
    NOT_BEARER(true, "have an Authorization header that is not 'Bearer <key>'",
            "Together expects 'Authorization: Bearer <key>'"),
    EMPTY(true, "have an empty API key", "the variable holding the key is empty or unset where the service runs"),
    WHITESPACE(false, "have an API key with whitespace, a line break or a control character in or around it",
            "the key was likely pasted or read from a file with a trailing newline; trim it (or set key-repair=trim)"),
    QUOTED(false, "have an API key wrapped in quotes",
            "remove the quotes around the key where it is set (or set key-repair=trim)"),
    PLACEHOLDER(true, "have a placeholder instead of an API key",
            "replace the placeholder with a real key from https://api.together.xyz/settings/api-keys"),
    UNEXPANDED_VARIABLE(true, "have an unexpanded variable instead of an API key",
            "the variable was not substituted where the key is configured; check the quoting in the script or"
                    + " manifest that sets it"),
    OTHER_PROVIDER(true, "have another provider's API key",
            "use a Together key (tgp_v1_...), not the OPENAI_API_KEY or similar one"),
    MALFORMED(false, "have a tgp_v1_ key of the wrong length or with unexpected characters",
            "Together keys are tgp_v1_ and 43 characters of A-Z, a-z, 0-9, _ and -; the key may be cut or garbled");

    /** Whether a request with this key cannot succeed: logged at ERROR, else at WARN. */
    public final boolean fatal;
    public final String description;
    public final String hint;

    KeyProblem(boolean fatal, String description, String hint) {
        this.fatal = fatal;
        this.description = description;
        this.hint = hint;
    }

    /** Whether {@code key-repair=trim} mends it. */
    public boolean trimmable() {
        return this == WHITESPACE || this == QUOTED;
    }
}
