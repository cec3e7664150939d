package io.togetheragent.jmx;

/** What the agent counted, as plain numbers for jconsole and the Prometheus JMX exporter. */
public interface CountersMBean {
    /** Requests to Together hosts the agent steered (attempts the application asked for, not retries). */
    long getRequests();

    /** Responses with status 429. */
    long getRateLimited();

    /** Of those, the 429s that reported the token limit ({@code dynamic_token_limited}). */
    long getTokenLimited();

    /** Responses with status 503. */
    long getOverloaded();

    /** Requests the agent sent again. */
    long getRetries();

    /** In observe mode: retries the agent would have sent. */
    long getWouldRetry();

    /** Calls that ended with a success after at least one retry. */
    long getRecovered();

    /** Calls handed a retryable status because retrying stopped (retries, max-wait, timeout, body). */
    long getGaveUp();

    /** Time spent waiting between attempts, in seconds. */
    double getWaitedSeconds();

    /** Sends held back by a cool-down, the pace or max-concurrent (their waits count into WaitedSeconds). */
    long getHeldBack();

    /** Failed calls handed back at once because the retry budget was spent. */
    long getOverBudget();

    /** Calls a retry layer above the client sent again after the agent had retried them to the end. */
    long getResentByLayerAbove();

    /** Requests or answers that showed an API-key problem. */
    long getKeyProblems();
}
