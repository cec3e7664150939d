package io.togetheragent.core.retry;

import io.togetheragent.core.Durations;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.HeaderLookup;
import io.togetheragent.core.LogOnce;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.keys.KeyCheck;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.pacing.Limit;
import io.togetheragent.core.pacing.LimitHeaders;
import io.togetheragent.core.pacing.LocalPace;
import io.togetheragent.core.pacing.Pace;
import io.togetheragent.core.pacing.RequestEstimate;
import io.togetheragent.core.settings.Mode;
import io.togetheragent.core.settings.Setting;
import io.togetheragent.core.settings.Settings;
import io.togetheragent.core.shared.SharedLimit;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry decision for one application call, across its attempts. An adapter loops: wait for the attempt's turn
 * ({@link #awaitTurn}, or {@link #sendNowOr} for asynchronous clients), send, {@link #nextDelayNanos}, and while that
 * is not negative, discard the response, {@link #await}, and again.
 */
public final class CallRetry {
    private static final Logger log = LoggerFactory.getLogger(CallRetry.class);
    /** How often a wait looks whether the application cancelled the call meanwhile. */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Settings settings;
    private final KeyCheck keys;
    private final Metrics metrics;
    private final Traffic traffic;
    /**
     * As the application set it; {@link KeyCheck#NOT_SEEN} until {@link #sentWith}, for adapters that learn it late.
     */
    private volatile String authorization;
    private final String method;
    private final String host;
    private final String path;
    private volatile String whyNotReplayable;
    private final long deadlineNanos;
    private final long threadId = Thread.currentThread().getId();
    private HeaderLookup requestHeaders = name -> null;
    private Supplier<byte[]> body = () -> null;
    private Supplier<byte[]> cheapBody = () -> null;
    /** The body as read for the model, kept so that recognising a resend does not read it again; null if not. */
    private byte[] cheapBytes;
    /** Resolved at the first turn, once the adapter has said how to read the body: it names the model. */
    private Lane lane;
    /**
     * Whether the call is in its key's only model lane without its body read (see {@link #lane(long)}): its model
     * is read only if it cannot ride the lane's lease, or its answer says something.
     */
    private boolean modelUnread;
    private RequestEstimate estimate = RequestEstimate.UNKNOWN;
    /** The place the current turn booked in its lane, or {@link Pace#NO_TURN}. */
    private volatile long bookedAt = Pace.NO_TURN;
    private OuterRetries.Fingerprint fingerprint;
    private boolean fingerprinted;
    private boolean resentByOuterLayer;
    private boolean firstTurn = true;
    private volatile ConcurrencyLimit permit;
    /** Whether the current turn waited: for a permit, a cool-down or the pace. */
    private volatile boolean heldBack;
    /**
     * What the current turn may wait in all, fixed when it begins: recomputed as the deadline nears, "half of what
     * is left" would keep allowing a little more until the deadline itself (issue 13).
     */
    private volatile long turnAllowanceNanos;
    private int retries;
    private long waitedNanos;
    private long attemptStartNanos = System.nanoTime();
    private long longestAttemptNanos;

    CallRetry(Settings settings, KeyCheck keys, Metrics metrics, Traffic traffic, String method, String host,
              String path, String whyNotReplayable, long deadlineNanos, String authorization) {
        this.settings = settings;
        this.keys = keys;
        this.metrics = metrics;
        this.traffic = traffic;
        this.authorization = authorization;
        this.method = method;
        this.host = host;
        this.path = path;
        this.whyNotReplayable = whyNotReplayable;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Tells the agent what identifies this call when a retry layer above the client sends it again: the request's
     * headers ({@code X-Stainless-Retry-Count}, {@code Idempotency-Key}) and its body (null when the adapter cannot
     * read it without taking it), asked for only if needed. Without them, resends are not recognised. Call before
     * the first turn.
     */
    public CallRetry identify(HeaderLookup requestHeaders, Supplier<byte[]> body) {
        return identify(requestHeaders, body, body);
    }

    /**
     * As {@link #identify(HeaderLookup, Supplier)}, where reading the body for every call would cost more than to
     * recognise a resend now and then (a supplier of the application's that builds it again): {@code cheapBody}
     * gives it only where that is cheap, else null. The body names the model, and so the call's lane.
     */
    public CallRetry identify(HeaderLookup requestHeaders, Supplier<byte[]> body, Supplier<byte[]> cheapBody) {
        this.requestHeaders = requestHeaders;
        this.body = body;
        this.cheapBody = cheapBody;
        return this;
    }

    /**
     * For clients whose request is complete only once it is being sent (Reactor Netty, where Spring sets the
     * headers while sending): the Authorization the attempt went out with, checked as {@code begin} checks it.
     * The call stays in the lane it took its first turn in.
     *
     * @param repairable whether the adapter sends {@link #repairedAuthorization()} in its place, as {@code begin}'s
     */
    public void sentWith(String sentAuthorization, boolean repairable) {
        if (authorization == KeyCheck.NOT_SEEN && sentAuthorization != KeyCheck.NOT_SEEN) {
            authorization = sentAuthorization;
            keys.beforeSend(sentAuthorization, repairable, metrics);
        }
    }

    /**
     * For adapters that keep a copy of the body as it is sent, and so learn only once it was sent whether it can be
     * sent again (too long to keep, or not all sent when the answer came): from now on the call is not retried,
     * and the log says why.
     */
    public void cannotReplay(String why) {
        if (whyNotReplayable == null) {
            whyNotReplayable = why;
        }
    }

    /**
     * Blocks until this attempt may be sent: its place under {@code max-concurrent}, then the cool-down gate and the
     * pace. Never longer than what is left of {@code max-wait}, nor than half what is left of the call's own
     * timeout when the turn begins; a cool-down or pace that would hold it longer is not waited at all: it is sent
     * at once. Returns early when the application cancels the call.
     *
     * @throws InterruptedException when the thread is interrupted; its interrupt flag is set again
     */
    public void awaitTurn(BooleanSupplier cancelled) throws InterruptedException {
        awaitTurn(cancelled, true);
    }

    /**
     * As {@link #awaitTurn}, without a place under {@code max-concurrent}: for a first attempt whose request goes out
     * well before its answer is asked for (HttpURLConnection in a streaming mode, which sends its headers as the
     * application opens the body). A place taken then would never come back from a call whose body failed to write,
     * as the application then asks for no answer.
     *
     * @return whether the request was held back
     */
    public boolean awaitPace(BooleanSupplier cancelled) throws InterruptedException {
        return awaitTurn(cancelled, false);
    }

    private boolean awaitTurn(BooleanSupplier cancelled, boolean withPermit) throws InterruptedException {
        if (!holdsBack()) {
            return false;
        }
        long start = beginTurn();
        boolean held = false;
        try {
            firstTurn();
            if (withPermit) {
                awaitPermit(cancelled);
            }
            if (settings.throttle()) {
                for (long now = System.nanoTime(), wait; (wait = turnWait(start, now)) > 0; now = System.nanoTime()) {
                    heldBack = true;
                    sleep(wait, cancelled);
                    if (cancelled.getAsBoolean()) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            FailOpen.report("the turn of a call", t);
        } finally {
            held = heldBack;
            turnEnded(start, System.nanoTime());
        }
        return held;
    }

    /**
     * For asynchronous clients, instead of {@link #awaitTurn}: true when this attempt may be sent at once, by the
     * caller; otherwise {@code later} runs when it may, on the agent's scheduler thread, and must itself handle
     * whatever goes wrong. Never blocks.
     */
    public boolean sendNowOr(Runnable later) {
        return sendNowOr(Scheduler.NEVER, later);
    }

    /**
     * As {@link #sendNowOr(Runnable)}, for a client that only records an abort of a request it has not sent (Jetty):
     * a wait for the lane's pace or cool-down ends as soon as {@code aborted} says so (looked at every 50 ms), and
     * {@code later} runs then, for the client to end the call as it ends any aborted one; otherwise the application
     * would hear of its abort only when the turn came.
     */
    public boolean sendNowOr(BooleanSupplier aborted, Runnable later) {
        if (!holdsBack()) {
            return true;
        }
        long start = beginTurn();
        try {
            firstTurn();
            ConcurrencyLimit limit = traffic.concurrency();
            if (limit != null) {
                if (modelUnread) {
                    // Read here, on the caller's thread: a wait for a place may end the turn on the agent's own
                    // scheduler thread, which must never write a body (the JDK's file publisher reads its file).
                    readModel(start);
                }
                ConcurrencyLimit.Waiter waiter = limit.acquireOrQueue(turnAllowanceNanos, granted -> {
                    if (granted) {
                        permit = limit;
                    }
                    Scheduler.schedule(() -> paced(aborted, later, start, true), 0);
                });
                if (waiter != null) {
                    heldBack = true;
                    if (aborted != Scheduler.NEVER) {
                        limit.withdrawWhen(waiter, aborted, turnAllowanceNanos,
                                () -> paced(aborted, later, start, true));
                    }
                    return false;
                }
                permit = limit;
            }
            return paced(aborted, later, start, false);
        } catch (Throwable t) {
            FailOpen.report("the turn of an asynchronous call", t);
            return true;
        }
    }

    /** The attempt ended without a response (an I/O error, a cancel): its place under max-concurrent goes back. */
    public void attemptFailed() {
        releasePermit();
    }

    /**
     * An adapter could not read its answer's status or headers (the agent's bug, outside this class's guard): the
     * answer goes to the application as it came, and the attempt's place goes back. Returns -1, as
     * {@link #nextDelayNanos(int, HeaderLookup)} does for an answer handed over.
     */
    public long answerUnread(Throwable cause) {
        FailOpen.report("reading an answer", cause);
        attemptFailed();
        return -1;
    }

    /**
     * Given the response just received, how long to wait before sending again; -1 hands the response to the
     * application. Never throws: a failure of the agent here hands the response over.
     */
    public long nextDelayNanos(int status, HeaderLookup headers) {
        return nextDelayNanos(status, headers, null);
    }

    /**
     * As {@link #nextDelayNanos(int, HeaderLookup)}, for adapters that can read the response body without taking
     * it from the application: the key check reads what Together says about the key (asked only for 401, 402, 429).
     */
    public long nextDelayNanos(int status, HeaderLookup headers, Supplier<String> body) {
        releasePermit();
        Supplier<String> responseBody = readsBody(status) ? once(body) : null;
        keys.afterResponse(status, authorization, responseBody, metrics);
        try {
            if (holdsBack()) {
                // Where the adapter's first attempt did not wait for its turn, the check for a resend happens here.
                firstTurn();
            }
            FailOpen.injectFault("decide");
            Lane lane = lane();
            LimitHeaders limits = LimitHeaders.from(headers);
            boolean changesNothing = modelUnread && lane.pace.answeredUnread(status, limits);
            if (modelUnread && !changesNothing) {
                lane = readModel(System.nanoTime());
            }
            Limit limit = status == 429
                    ? Limit.of429(responseBody == null ? null : responseBody.get(), limits, estimate.tokens) : null;
            metrics.status(status, limit);
            lane.counted(status, limit);
            boolean retryStatus = settings.isRetryStatus(status);
            // Read once, for the lane's cool-down and the retry's wait.
            RetryAfter hint = retryStatus || status == 429
                    ? RetryAfter.from(headers, System.currentTimeMillis()) : null;
            if (holdsBack() && settings.throttle() && !changesNothing) {
                lane.pace.answered(status, limit, limits,
                        hint == null ? -1 : TimeUnit.MILLISECONDS.toNanos(hint.millis), attemptStartNanos,
                        System.nanoTime(), estimate.tokens);
            }
            if (!retryStatus) {
                finished(status);
                return -1;
            }
            return decideRetry(status + (limit != null && limit.description != null
                    ? " (" + limit.description + ")" : ""), status == 429, hint);
        } catch (Throwable t) {
            FailOpen.report("the retry decision", t);
            return -1;
        }
    }

    /** @param status the status as the log names it: "429 (token limit)" */
    private long decideRetry(String status, boolean rateLimited, RetryAfter hint) {
        int retry = retries + 1;
        long backoff = Backoff.exponential(retry, settings.baseDelayMillis(), settings.maxDelayMillis());
        long hinted = hint != null ? Backoff.hinted(hint) : -1;
        // Paced, the server's hint is enough: the lane's gate and pace space the retries; back-off is for not knowing.
        long delay = settings.throttle() && hinted >= 0 ? hinted : Math.max(hinted, backoff);
        String wait = Durations.seconds(delay) + " (" + (delay == hinted ? hint.source : "backoff") + ")";
        boolean observe = settings.mode() == Mode.OBSERVE;

        if (whyNotReplayable != null) {
            metrics.gaveUp();
            if (LogOnce.first(whyNotReplayable)) {
                log.warn("{}{} got {}: {} because {} (said once)", observe ? "[observe] " : "", target(), status,
                        observe ? "would not retry" : "not retried", whyNotReplayable);
            }
            return -1;
        }
        String refusal = refusal(delay, wait);
        if (observe) {
            if (refusal == null) {
                metrics.wouldRetry();
                log.info("[observe] {} got {}: would retry {} of {} in {}", target(), status, retry,
                        settings.maxRetries(), wait);
            } else {
                log.info("[observe] {} got {}: would give up, because {}", target(), status, refusal);
            }
            return -1;
        }
        // A 429 with the server's own reset, paced, costs no budget: the lane's gate holds its retry until that reset
        // and its pace keeps it under the server's rate, so it cannot multiply the load. All else is charged.
        boolean paced = settings.throttle() && rateLimited && hint != null;
        if (refusal == null && !paced && !lane().budget.tryRetry(System.nanoTime(), settings.retryBudgetPercent())) {
            return budgetSpent(status);
        }
        if (refusal != null) {
            return giveUp(status, refusal);
        }
        retries = retry;
        waitedNanos += delay;
        metrics.retry(delay);
        log.info("{} got {}: retry {} of {} in {}", target(), status, retry, settings.maxRetries(), wait);
        return delay;
    }

    /** A call given up on is remembered, so that a layer above sending it again gets no fresh retries. */
    private void remember(long now) {
        OuterRetries.Fingerprint call = fingerprint();
        if (call != null) {
            outerRetries().gaveUp(call, now);
        }
    }

    private long giveUp(String status, String refusal) {
        metrics.gaveUp();
        remember(System.nanoTime());
        log.warn("{} got {}: giving up after {} retries and {} waiting, because {}; the application gets the {}",
                target(), status, retries, Durations.seconds(waitedNanos), refusal, status.substring(0, 3));
        return -1;
    }

    /** Said once per window of the budget; the calls after it in the window are counted, not each logged. */
    private long budgetSpent(String status) {
        long now = System.nanoTime();
        metrics.gaveUp();
        metrics.budgetSpent();
        remember(now);
        Lane lane = lane();
        if (lane.budget.firstRefusalOfWindow(now)) {
            log.warn("{} got {}: the retry budget is spent ({}; retry-budget {}), so this call and any other failing"
                    + " in the next {}s go back to the application at once", target(), status,
                    lane.budget.describe(now), settings.text(Setting.RETRY_BUDGET), RetryBudget.WINDOW_SECONDS);
        }
        return -1;
    }

    /** Why the next retry must not happen, or null when it may. */
    private String refusal(long delay, String wait) {
        if (resentByOuterLayer) {
            return "this is a retry layer above the client sending again a call whose retries the agent already spent";
        }
        if (retries >= settings.maxRetries()) {
            return "all " + settings.maxRetries() + " retries used";
        }
        long maxWaitLeft = TimeUnit.MILLISECONDS.toNanos(settings.maxWaitMillis()) - waitedNanos;
        if (delay > maxWaitLeft) {
            return "the next wait of " + wait + " is more than the " + Durations.seconds(Math.max(0, maxWaitLeft))
                    + " left of max-wait " + Durations.format(settings.maxWaitMillis());
        }
        // The next attempt needs time too, and the application still has to read the body within the timeout:
        // allow it twice what the longest attempt so far took (the last one alone can be quick by chance, on a
        // kept connection, while the next one is not: seen on a loaded machine).
        long now = System.nanoTime();
        longestAttemptNanos = Math.max(longestAttemptNanos, now - attemptStartNanos);
        if (deadlineNanos != Long.MAX_VALUE && now + delay + 2 * longestAttemptNanos >= deadlineNanos) {
            return "the next wait of " + wait + " would leave too little of the call's own timeout for another attempt";
        }
        return null;
    }

    private void finished(int status) {
        if (retries == 0) {
            return;
        }
        if (status < 400) {
            metrics.recovered();
        }
        log.info("{} got {} after {} retries and {} waiting", target(), status, retries,
                Durations.seconds(waitedNanos));
    }

    /**
     * Waits the given time, never less, returning early only when the application cancels the call.
     *
     * @throws InterruptedException when the thread is interrupted; its interrupt flag is set again
     */
    public void await(long nanos, BooleanSupplier cancelled) throws InterruptedException {
        sleep(nanos, cancelled);
        attemptStartNanos = System.nanoTime();
    }

    /**
     * Whether the agent may send this call again. Then it is the call's one retry layer, and a client's own
     * retrying of the same statuses must stand aside.
     */
    public boolean resends() {
        return settings.mode() == Mode.RETRY && whyNotReplayable == null;
    }

    /** The Authorization value to send: the application's, or with {@code key-repair=trim} the trimmed key. */
    public String authorizationToSend() {
        return keys.repaired(authorization);
    }

    /**
     * The Authorization value to set in place of the application's ({@code key-repair=trim}), or null when the
     * request goes as it is: adapters need not read the request's header again to compare.
     */
    public String repairedAuthorization() {
        String application = authorization;
        String toSend = keys.repaired(application);
        return toSend == null || toSend.equals(application) ? null : toSend;
    }

    /** Whether the key check wants the body of a response with this status (for the overload that takes one). */
    public boolean wantsBody(int status) {
        return keys.wantsBody(status);
    }

    /**
     * Whether {@link #nextDelayNanos(int, HeaderLookup, Supplier)} reads the body of an answer with this status:
     * a 429's, for which limit it reports, and the key check's; adapters ask first to spare making a supplier.
     */
    public boolean readsBody(int status) {
        return status == 429 || keys.wantsBody(status);
    }

    public int retries() {
        return retries;
    }

    private String target() {
        return method + " " + host + path + (estimate.model == null ? "" : " [" + estimate.model + "]");
    }

    /**
     * The call's lane: its host, key and model. The body is read for the model only where it can be sent again
     * (then reading it takes nothing from the application) and only where that is cheap; else the key's lane.
     */
    private Lane lane() {
        return lane != null ? lane : lane(System.nanoTime());
    }

    /**
     * As {@link #lane()}. Most services call one model: where this key has called one only, and the call may be
     * paced, it goes in that model's lane unread. Writing the body once more for its model was the largest part of
     * a request's cost (issue 18); a call that rides the lane's lease (sends booked ahead while the lane is far from
     * its limits) and whose answer changes nothing is never read. Any other is read before it books its turn, or
     * when its answer comes ({@link #readModel}), and so lands in its own model's lane where that matters.
     *
     * @param now the clock's reading at hand: {@link #lane()} is asked for first as a turn begins
     */
    private Lane lane(long now) {
        if (lane == null) {
            Lane only = whyNotReplayable == null && holdsBack() && settings.throttle() ? onlyModelLane() : null;
            modelUnread = only != null;
            lane = only != null ? only : laneOf(readEstimate().model);
            if (holdsBack()) {
                lane.budget.callBegun(now);
            }
        }
        return lane;
    }

    private Lane onlyModelLane() {
        try {
            return traffic.onlyModelLane(host, keyForLanes());
        } catch (Throwable t) {
            FailOpen.report("the lane of a call", t);
            return null;
        }
    }

    /** The Authorization value lanes are keyed by: none where the adapter never saw what was sent. */
    private String keyForLanes() {
        return authorization == KeyCheck.NOT_SEEN ? null : authorization;
    }

    /** Reads the body for its model and tokens; unknown where it cannot be read. */
    private RequestEstimate readEstimate() {
        try {
            cheapBytes = whyNotReplayable != null ? null : cheapBody.get();
            estimate = RequestEstimate.of(cheapBytes);
        } catch (Throwable t) {
            FailOpen.report("reading the model of a request", t);
        }
        return estimate;
    }

    private Lane laneOf(String model) {
        try {
            return traffic.lane(host, keyForLanes(), model);
        } catch (Throwable t) {
            // Never thrown at the application: this call goes on in a lane of its own, holding nothing back.
            FailOpen.report("the lane of a call", t);
            return new Lane(host, null, () -> "(unknown)", new LocalPace(new Random()));
        }
    }

    /**
     * A call in its key's only model lane unread is read after all: it moves to the lane its body names (the key's
     * own where it names none). A body that cannot be read now (an adapter's copy gone) leaves it where it is, the
     * best guess there is.
     */
    private Lane readModel(long now) {
        modelUnread = false;
        readEstimate();
        if (cheapBytes != null) {
            Lane read = laneOf(estimate.model);
            if (read != lane) {
                lane = read;
                read.budget.callBegun(now);
            }
        }
        return lane;
    }

    /** Reads a response body at most once, for the key check and for which limit a 429 reported. */
    private static Supplier<String> once(Supplier<String> body) {
        if (body == null) {
            return null;
        }
        return new Supplier<String>() {
            private boolean read;
            private String text;

            @Override
            public String get() {
                if (!read) {
                    read = true;
                    text = body.get();
                }
                return text;
            }
        };
    }

    /** Only a call the agent may retry is held back: observe is a dry run, and off is off. */
    private boolean holdsBack() {
        return settings.mode() == Mode.RETRY;
    }

    private OuterRetries outerRetries() {
        return traffic.outerRetries;
    }

    /**
     * What makes a later send the same call (see {@link OuterRetries}), or null when nothing does for certain: then
     * resends are not looked for, rather than taking another call for one.
     */
    private OuterRetries.Fingerprint fingerprint() {
        if (!fingerprinted) {
            fingerprinted = true;
            String idempotencyKey = requestHeaders.get("idempotency-key");
            byte[] bytes = idempotencyKey != null ? null
                    : cheapBytes != null && body == cheapBody ? cheapBytes : body.get();
            String identity = idempotencyKey != null ? "idempotency-key " + idempotencyKey
                    : bytes != null ? "body"
                    // A numbered SDK attempt without a readable body: SDKs retry blocking calls on the same thread.
                    : requestHeaders.get("x-stainless-retry-count") != null ? "thread " + threadId : null;
            fingerprint = identity == null ? null
                    : new OuterRetries.Fingerprint(bytes, method, host, path, authorization, identity);
        }
        return fingerprint;
    }

    /**
     * Before the first attempt: is this a layer above resending a call the agent already retried to the end? The
     * OpenAI SDK numbers its attempts in {@code X-Stainless-Retry-Count}: its first attempt is never a resend.
     */
    private void firstTurn() {
        if (!firstTurn) {
            return;
        }
        firstTurn = false;
        // Nothing given up on, nothing to look for: the usual case asks the request's headers nothing.
        if (whyNotReplayable != null || outerRetries().isEmpty()
                || "0".equals(requestHeaders.get("x-stainless-retry-count"))) {
            return;
        }
        OuterRetries.Fingerprint call = fingerprint();
        if (call != null && outerRetries().isResend(call, System.nanoTime())) {
            resentByOuterLayer = true;
            metrics.outerResend();
            if (LogOnce.first("outer resend " + host)) {
                log.info("{}: a retry layer above the client sends again a call the agent already retried to the end;"
                        + " it is sent once, not retried again, so retries do not multiply (said once)", target());
            }
        }
    }

    private void awaitPermit(BooleanSupplier cancelled) throws InterruptedException {
        ConcurrencyLimit limit = traffic.concurrency();
        if (limit != null && limit.await(turnAllowanceNanos, CANCEL_POLL_NANOS, cancelled, () -> heldBack = true)) {
            permit = limit;
        }
    }

    /**
     * How long the lane holds this send back; 0 when it goes now. The first asking books its place in the lane, so
     * sends go in the order they asked; a cool-down begun while it waited moves it behind the cool-down. A place
     * that would come after what the turn may wait is not booked: the send goes at once (a wait that cannot end in
     * time is not started).
     */
    private long turnWait(long start, long now) {
        Pace pace = lane().pace;
        if (modelUnread && bookedAt == Pace.NO_TURN) {
            if (pace.lendsUnread(now)) {
                bookedAt = now;
                return 0;
            }
            pace = readModel(now).pace;
        }
        long booked = bookedAt;
        if (!mustBook(pace, now)) {
            return Math.max(0, booked - now);
        }
        long at = pace.book(now, start + turnAllowanceNanos, estimate.tokens);
        bookedAt = at;
        if (at == Pace.NO_TURN) {
            if (LogOnce.first("hold longer than a call may wait " + host)) {
                log.info("{}: its turn in the lane comes later than this call may wait ({}); such calls are sent at"
                        + " once rather than held (said once)", target(),
                        Durations.seconds(Math.max(0, turnAllowanceNanos - (now - start))));
            }
            return 0;
        }
        // A turn due already is due later too; else from the time now: booking in a shared lane took a round trip.
        return at <= now ? 0 : Math.max(0, at - System.nanoTime());
    }

    /** Whether the turn has no place in its lane yet, or a cool-down begun since moved it. */
    private boolean mustBook(Pace pace, long now) {
        long booked = bookedAt;
        if (booked == Pace.NO_TURN) {
            return true;
        }
        long closed = pace.closedUntil(now);
        return closed > booked && closed > now;
    }

    /** Whether the send may go now; if not, or if {@code runNow}, {@code later} is run (now or when it may). */
    private boolean paced(BooleanSupplier aborted, Runnable later, long start, boolean runNow) {
        long now = System.nanoTime();
        long wait = 0;
        boolean roundTrip = false;
        try {
            Pace pace = lane().pace;
            roundTrip = pace.bookingBlocks();
            // An aborted call waits for nothing: the client ends it as it is sent.
            boolean paces = settings.throttle() && !aborted.getAsBoolean();
            if (paces && roundTrip && mustBook(pace, now) && !SharedLimit.onOffLoopThread()) {
                // Booking in a shared lane is a round trip to Redis: never on an event loop, nor on the scheduler.
                SharedLimit.offLoop(() -> paced(aborted, later, start, true));
                return false;
            }
            wait = paces ? turnWait(start, now) : 0;
        } catch (Throwable t) {
            FailOpen.report("the pace of an asynchronous call", t);
        }
        if (wait <= 0) {
            // The attempt starts now: after a booking's round trip to Redis, later than the reading above.
            turnEnded(start, roundTrip ? System.nanoTime() : now);
            if (runNow) {
                later.run();
            }
            return !runNow;
        }
        heldBack = true;
        Scheduler.waitThen(wait, aborted, () -> paced(aborted, later, start, true));
        return false;
    }

    /**
     * Begins a turn: what it may wait in all is what is left of max-wait, and at most half of what is left of the
     * call's timeout now, leaving the other half for the attempt itself.
     */
    private long beginTurn() {
        long start = System.nanoTime();
        lane(start);
        bookedAt = Pace.NO_TURN;
        long allowance = TimeUnit.MILLISECONDS.toNanos(settings.maxWaitMillis()) - waitedNanos;
        if (deadlineNanos != Long.MAX_VALUE) {
            allowance = Math.min(allowance, (deadlineNanos - start) / 2);
        }
        turnAllowanceNanos = Math.max(0, allowance);
        return start;
    }

    /**
     * Counts the turn's wait, if the send was held back at all (taking a free permit is not waiting); the attempt
     * starts now.
     */
    private void turnEnded(long start, long now) {
        if (heldBack) {
            heldBack = false;
            waitedNanos += now - start;
            metrics.heldBack(now - start);
        }
        attemptStartNanos = now;
    }

    private void releasePermit() {
        ConcurrencyLimit held = permit;
        if (held != null) {
            permit = null;
            try {
                held.release();
            } catch (Throwable t) {
                FailOpen.report("max-concurrent", t);
            }
        }
    }

    private static void sleep(long nanos, BooleanSupplier cancelled) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !cancelled.getAsBoolean(); left = end - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, CANCEL_POLL_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
    }
}
