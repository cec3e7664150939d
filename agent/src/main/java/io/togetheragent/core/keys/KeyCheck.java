package io.togetheragent.core.keys;

import io.togetheragent.core.Durations;
import io.togetheragent.core.FailOpen;
import io.togetheragent.core.Scheduler;
import io.togetheragent.core.metrics.Metrics;
import io.togetheragent.core.settings.Mode;
import io.togetheragent.core.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator what is wrong with the API key of Together requests, safely: keys appear only in their
 * {@link ApiKey#redacted redacted form}. Each distinct problem is logged once per key, then only counted; while
 * the counts change, one summary line every {@code summary-interval} says how many requests it affected.
 */
public final class KeyCheck {
    private static final Logger log = LoggerFactory.getLogger(KeyCheck.class);
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){0,300})");
    private static final Pattern PER_MINUTE = Pattern.compile("(?i)\\b(\\d[\\d,.]*)\\s*(\\w+\\s+)?(per|/)\\s*min");
    private static final String NO_KEY = "none";
    /**
     * Passed instead of an Authorization value when the adapter cannot see the request's headers (compared by
     * identity): then nothing is said about the key.
     */
    public static final String NOT_SEEN = new String("(not seen)");

    private volatile Settings settings;
    private final Map<String, String> environment;
    private final AtomicBoolean environmentChecked = new AtomicBoolean();
    private final Map<String, Finding> findings = new ConcurrentHashMap<>();
    private final AtomicBoolean summaryStarted = new AtomicBoolean();
    /** The last Authorization value found sound: the common case, every request with the same key, costs one equals. */
    private volatile String lastSound;

    /** One problem of one key: the words for the summary, and how often it was seen. */
    private static final class Finding {
        final String summary;
        final AtomicLong seen = new AtomicLong();
        long summarized = 1;

        Finding(String summary) {
            this.summary = summary;
        }
    }

    public KeyCheck(Settings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = environment;
    }

    /** Settings changed at run time: what was found so far is kept. */
    public void use(Settings changed) {
        settings = changed;
    }

    /**
     * The Authorization value to send instead of the application's, or the same value: with {@code key-repair=trim}
     * whitespace, line breaks and quotes around the key are removed. Nothing else changes.
     */
    public String repaired(String authorization) {
        try {
            if (!repairs() || authorization == NOT_SEEN) {
                return authorization;
            }
            String token = ApiKey.tokenOf(authorization);
            if (token == null) {
                return authorization;
            }
            KeyProblem problem = ApiKey.problemOfToken(token);
            return problem != null && problem.trimmable() ? "Bearer " + ApiKey.trimmed(token) : authorization;
        } catch (Throwable t) {
            FailOpen.report("the API key repair", t);
            return authorization;
        }
    }

    /** Whether keys are repaired: asked for, and never in {@code observe}, which alters no request. */
    private boolean repairs() {
        return settings.keyCheck() && settings.keyRepair() && settings.mode() == Mode.RETRY;
    }

    /**
     * Checks the key of a request about to be sent to Together.
     *
     * @param authorization the Authorization header as the application set it, or null when there is none
     * @param repairable whether this client's adapter sends the {@link #repaired} value
     * @param metrics where key problems are counted: the request's host
     */
    public void beforeSend(String authorization, boolean repairable, Metrics metrics) {
        if (!settings.keyCheck() || authorization == NOT_SEEN) {
            return;
        }
        if (authorization != null && authorization.equals(lastSound)) {
            return;
        }
        try {
            checkEnvironmentOnce(authorization);
            KeyProblem problem = ApiKey.problemOf(authorization);
            if (problem == null) {
                lastSound = authorization;
                return;
            }
            String token = ApiKey.tokenOf(authorization);
            String key = trimmedOrNull(token);
            String which = key == null ? "" : " (" + whose(problem, key) + ApiKey.redacted(key) + ")";
            boolean repaired = repairable && repairs() && problem.trimmable();
            String text = "requests to Together " + problem.description + which;
            String fix = repaired ? "key-repair=trim sends it trimmed; fix it at the source too" : problem.hint;
            report(metrics, key, problem.name(), problem.fatal && !repaired, text + ": " + fix, text);
        } catch (Throwable t) {
            FailOpen.report("the API key check", t);
        }
    }

    private static String whose(KeyProblem problem, String key) {
        return problem == KeyProblem.OTHER_PROVIDER ? ApiKey.otherProvider(key) + " " : "";
    }

    /** Whether {@link #afterResponse} wants the body of a response with this status. */
    public boolean wantsBody(int status) {
        return settings.keyCheck() && (status == 401 || status == 402 || status == 429);
    }

    /**
     * What Together's answer says about the key: 401 (invalid key), 402 (spending limit), a 429 that names the
     * credit limit or states a per-minute limit.
     *
     * @param body the response body, read without taking it from the application, or null when not available
     */
    public void afterResponse(int status, String authorization, Supplier<String> body, Metrics metrics) {
        if (!wantsBody(status) || authorization == NOT_SEEN) {
            return;
        }
        try {
            String token = ApiKey.tokenOf(authorization);
            String key = trimmedOrNull(token);
            String text = body == null ? null : body.get();
            String message = message(text, key);
            String says = message == null ? "" : ": \"" + message + "\"";
            if (status == 401) {
                String answered = answered(status, key);
                report(metrics, key, "401", true, answered + says + ": the key is invalid, revoked or expired; get"
                        + " one at https://api.together.xyz/settings/api-keys", answered);
            } else if (status == 402) {
                String answered = answered(status, key);
                report(metrics, key, "402", true, answered + ": spending limit reached" + says + "; not retried;"
                        + " raise the limit or add credit in Together's billing settings",
                        answered + " (spending limit reached)");
            } else if (text != null && text.contains("credit_limit")) {
                String answered = answered(status, key);
                report(metrics, key, "429-credit", false, answered + " because of its credit limit" + says
                        + "; retrying will not help until credit is added", answered + " (credit limit)");
            } else if (message != null && PER_MINUTE.matcher(message).find()) {
                Matcher m = PER_MINUTE.matcher(message);
                m.find();
                String limit = m.group().trim();
                String answered = answered(status, key);
                report(metrics, key, "429-rate:" + m.group(1), false, answered + " stating a limit of " + limit
                        + says + "; the key's tier may be lower than expected", answered + " (" + limit + ")");
            }
        } catch (Throwable t) {
            FailOpen.report("the API key check of a response", t);
        }
    }

    /** Made only for a line to log: a plain 429 says nothing of the key, and its hash is not free. */
    private static String answered(int status, String key) {
        String who = key == null ? "without a key" : "for key " + ApiKey.redacted(key);
        return "Together answered " + status + " " + who;
    }

    /** Together's own error message, with the key cut out should it ever be quoted. */
    private static String message(String body, String key) {
        if (body == null) {
            return null;
        }
        Matcher m = MESSAGE.matcher(body);
        if (!m.find()) {
            return null;
        }
        String message = m.group(1).replace("\\\"", "\"").replace("\\n", " ");
        return key == null || !message.contains(key) ? message : message.replace(key, ApiKey.redacted(key));
    }

    private void checkEnvironmentOnce(String authorization) {
        if (!environmentChecked.compareAndSet(false, true)) {
            return;
        }
        String together = env("TOGETHER_API_KEY");
        String alternative = env("TOGETHER_AI_API_KEY");
        String openAi = env("OPENAI_API_KEY");
        String token = ApiKey.tokenOf(authorization);
        String sent = token == null ? null : ApiKey.trimmed(token);
        if (together == null) {
            for (String[] other : new String[][] {{"TOGETHER_AI_API_KEY", alternative}, {"OPENAI_API_KEY", openAi}}) {
                if (other[1] != null) {
                    log.warn("TOGETHER_API_KEY is not set, but {} is (key {}); Together's SDKs read TOGETHER_API_KEY;"
                            + " the first request to Together carries {} (said once)", other[0],
                            ApiKey.redacted(other[1]), sentText(sent, together, alternative, openAi));
                }
            }
        } else if (sent != null && !sent.isEmpty() && !sent.equals(together)) {
            log.warn("the first request to Together carries {}, but TOGETHER_API_KEY holds key {} (said once)",
                    sentText(sent, together, alternative, openAi), ApiKey.redacted(together));
        }
    }

    /** Made only for a warning: a key's hash loads the JDK's security providers, which most JVMs need not pay for. */
    private static String sentText(String sent, String together, String alternative, String openAi) {
        return sent == null || sent.isEmpty() ? "no key" : "key " + ApiKey.redacted(sent)
                + source(sent, together, alternative, openAi);
    }

    private static String source(String sent, String together, String alternative, String openAi) {
        if (sent.equals(together)) {
            return " from TOGETHER_API_KEY";
        }
        if (sent.equals(alternative)) {
            return " from TOGETHER_AI_API_KEY";
        }
        return sent.equals(openAi) ? " from OPENAI_API_KEY" : " (not from TOGETHER_API_KEY, TOGETHER_AI_API_KEY or"
                + " OPENAI_API_KEY)";
    }

    private String env(String name) {
        return trimmedOrNull(environment.get(name));
    }

    /** A key with the whitespace and quotes around it removed; null for none or a blank one. */
    private static String trimmedOrNull(String key) {
        String trimmed = key == null ? "" : ApiKey.trimmed(key);
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Logs a problem the first time it is seen for a key; after that only counts it. */
    private void report(Metrics metrics, String key, String problem, boolean error, String line, String summary) {
        metrics.keyProblem();
        Finding f = findings.computeIfAbsent((key == null ? NO_KEY : ApiKey.hash(key)) + "|" + problem,
                k -> new Finding(summary));
        if (f.seen.getAndIncrement() > 0) {
            return;
        }
        if (error) {
            log.error("{} (said once for this key; later ones are counted)", line);
        } else {
            log.warn("{} (said once for this key; later ones are counted)", line);
        }
        if (summaryStarted.compareAndSet(false, true)) {
            Scheduler.every(settings.summaryIntervalMillis(), "the API key summary", this::summarize);
        }
    }

    /** One line for the problems seen again since the last summary; nothing when none were. */
    void summarize() {
        List<String> parts = new ArrayList<>();
        for (Finding f : findings.values()) {
            long seen = f.seen.get();
            if (seen > f.summarized) {
                parts.add((seen - f.summarized) + " more: " + f.summary);
                f.summarized = seen;
            }
        }
        if (!parts.isEmpty()) {
            log.warn("API key problems in the last {}: {}", Durations.format(settings.summaryIntervalMillis()),
                    String.join("; ", parts));
        }
    }
}
