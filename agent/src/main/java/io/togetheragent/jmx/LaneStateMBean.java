package io.togetheragent.jmx;

/** One model's lane: what Together showed of its limits, the agent's pace under them, and what it met. */
public interface LaneStateMBean {
    String getModel();

    /** The key, redacted. */
    String getKey();

    /** Requests per second Together allows this model, as its headers said; 0 when not said. */
    double getRequestLimit();

    /** The agent's pace in requests per second; 0 while it does not pace. */
    double getRequestPace();

    /** Tokens per second Together allows this model; 0 when not said. */
    double getTokenLimit();

    /** The agent's pace in tokens per second; 0 while it does not pace tokens. */
    double getTokenPace();

    /** Seconds left of a cool-down after a 429; 0 when open. */
    double getCoolDownSeconds();

    long getRequestLimited();

    long getTokenLimited();

    long getOverloaded();
}
