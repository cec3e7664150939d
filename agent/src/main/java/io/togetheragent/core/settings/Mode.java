package io.togetheragent.core.settings;

/** What the agent does with Together traffic. */
public enum Mode {
    /** Retry rate-limited and overloaded calls. */
    RETRY,
    /** Dry run: change nothing, log and count what {@code retry} would have done. */
    OBSERVE,
    /** Install nothing. */
    OFF;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
