package io.togetheragent.core.retry;

import io.togetheragent.core.pacing.Limit;
import io.togetheragent.core.pacing.Pace;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One host, API key and model's share of Together, as Together limits each model apart: its {@link Pace}, its retry
 * budget and what it met. A request whose model is not known goes in its key's lane (model null).
 */
public final class Lane {
    /** Told of each lane of a known model when it begins (JMX registers a bean for it). */
    private static volatile Consumer<Lane> newLaneListener = lane -> { };

    public final String host;
    /** The model, or null for the key's own lane. */
    public final String model;
    /** Which key, for telling lanes of two keys apart in JMX: the redacted form, never the key. */
    private final Supplier<String> nameOfKey;
    private volatile String keyName;
    public final Pace pace;
    final RetryBudget budget = new RetryBudget();
    public final LongAdder requestLimited = new LongAdder();
    public final LongAdder tokenLimited = new LongAdder();
    public final LongAdder overloaded = new LongAdder();
    /** Whether this is the only model lane of its host and key (see {@link Traffic#onlyModelLane}). */
    volatile boolean onlyModelOfItsKey;

    Lane(String host, String model, Supplier<String> keyName, Pace pace) {
        this.host = host;
        this.model = model;
        this.nameOfKey = keyName;
        this.pace = pace;
    }

    /**
     * The key's redacted form, made when first asked for: its hash loads the JDK's security providers (some
     * 0.6 MB and milliseconds at start), which a JVM that never shows a lane's name need not pay for.
     */
    public String keyName() {
        String name = keyName;
        if (name == null) {
            name = nameOfKey.get();
            keyName = name;
        }
        return name;
    }

    /** Replaces the listener. */
    public static void onNewLane(Consumer<Lane> listener) {
        newLaneListener = listener;
    }

    static void begun(Lane lane) {
        if (lane.model != null) {
            newLaneListener.accept(lane);
        }
    }

    void counted(int status, Limit limit) {
        if (status == 503) {
            overloaded.increment();
        } else if (status == 429) {
            (limit == Limit.TOKENS ? tokenLimited : requestLimited).increment();
        }
    }
}
