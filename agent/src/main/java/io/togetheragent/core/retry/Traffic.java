package io.togetheragent.core.retry;

import io.togetheragent.core.keys.ApiKey;
import io.togetheragent.core.pacing.LocalPace;
import io.togetheragent.core.pacing.Pace;
import io.togetheragent.core.settings.Settings;
import io.togetheragent.core.shared.RedisUrl;
import io.togetheragent.core.shared.SharedLimit;
import io.togetheragent.core.shared.SharedPace;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent knows about this JVM's Together traffic across calls: one {@link Lane} per host, API key and
 * model, the {@code max-concurrent} permits and the calls given up on. Kept when settings change at run time.
 */
final class Traffic {
    /** Lanes are keyed by the key itself (never logged), so one key's limit never slows another's calls. */
    private final Map<LaneKey, Lane> lanes = new ConcurrentHashMap<>();
    /**
     * The lane the last request was given, and what it asked by: most requests ask what the one before asked, and
     * a lane, once given for these, is given for them for good (lanes are never dropped). Spares each request a
     * key to look up by and the hash of its Authorization value.
     */
    private volatile Recent recent;
    /**
     * The first model lane of each host and key, by their own lane's key: while it is their only one, their calls
     * may ride its lease without their bodies being read for the model (see {@link #onlyModelLane}). While it is
     * empty (a client whose bodies are not read before the turn, as Vert.x's), a call makes no lookup key for it.
     */
    private final Map<LaneKey, Lane> firstModelLanes = new ConcurrentHashMap<>();
    private final Random random = new Random();
    final OuterRetries outerRetries = new OuterRetries();
    private volatile ConcurrencyLimit concurrency;
    private final Map<String, String> environment;
    /** Where the lanes are shared with a fleet, or null. */
    private volatile SharedLimit shared;
    private RedisUrl sharedUrl;
    private long sharedTimeoutMillis;

    Traffic(Settings settings, Map<String, String> environment) {
        this.environment = environment;
        use(settings);
    }

    /**
     * Takes on changed settings: a new cap applies to requests from now on; those in flight keep their permits. A
     * new {@code shared-limit} applies to every lane begun with one; lanes begun without it stay this JVM's own.
     */
    synchronized void use(Settings settings) {
        RedisUrl url = settings.sharedLimit() == null ? null : settings.sharedLimit().withPasswordFrom(environment);
        if (url == null ? sharedUrl != null
                : !url.equals(sharedUrl) || settings.sharedLimitTimeoutMillis() != sharedTimeoutMillis) {
            SharedLimit old = shared;
            shared = url == null ? null : new SharedLimit(url, settings.sharedLimitTimeoutMillis());
            sharedUrl = url;
            sharedTimeoutMillis = settings.sharedLimitTimeoutMillis();
            if (old != null) {
                old.close();
            }
        }
        ConcurrencyLimit current = concurrency;
        int cap = settings.maxConcurrent();
        if (cap == 0) {
            concurrency = null;
        } else if (current == null || current.permits() != cap) {
            concurrency = new ConcurrencyLimit(cap);
        }
    }

    /**
     * The most lanes kept: a service uses a handful of models, and a body naming a new one on every call must not
     * grow the map (and the JMX beans) without end. Past it, new models go in their key's lane.
     */
    static final int MAX_LANES = 256;

    /** The lane of this host, key and model (null: the key's own lane). */
    Lane lane(String host, String authorization, String model) {
        Recent last = recent;
        if (last != null && last.isFor(host, authorization, model)) {
            return last.lane;
        }
        Lane lane = find(host, authorization, model);
        recent = new Recent(host, authorization, model, lane);
        return lane;
    }

    private Lane find(String host, String authorization, String model) {
        if (model != null && lanes.size() >= MAX_LANES) {
            Lane known = lanes.get(new LaneKey(host, authorization, model));
            return known != null ? known : find(host, authorization, null);
        }
        LaneKey key = new LaneKey(host, authorization, model);
        Lane lane = lanes.get(key);
        if (lane != null) {
            return lane;
        }
        Lane created = new Lane(key.host, model, () -> keyName(authorization), pace(key.joined()));
        lane = lanes.putIfAbsent(key, created);
        if (lane == null) {
            if (model != null) {
                firstOfItsKey(created, new LaneKey(host, authorization, null));
            }
            Lane.begun(created);
            return created;
        }
        return lane;
    }

    /**
     * The lane of the only model this host and key have called so far (one model is what most services call), or
     * null when they have called none or several, or when lanes are shared with a fleet (booking there is a round
     * trip that dwarfs reading a body). Asked before a call's body is read: a call that takes a send its lease lent
     * need not be read at all unless its answer says something (see {@link CallRetry}).
     */
    Lane onlyModelLane(String host, String authorization) {
        if (shared != null || firstModelLanes.isEmpty()) {
            return null;
        }
        Recent last = recent;
        Lane lane = last != null && last.lane.model != null && last.isForKey(host, authorization) ? last.lane
                : firstModelLanes.get(new LaneKey(host, authorization, null));
        return lane != null && lane.onlyModelOfItsKey ? lane : null;
    }

    /**
     * Marks a new model lane as its key's only one, or, where the key had one already, neither as such. Marked
     * before it is put, so that a second lane, which can find the first only after that, always unmarks it.
     */
    private void firstOfItsKey(Lane created, LaneKey keysOwn) {
        created.onlyModelOfItsKey = true;
        Lane first = firstModelLanes.putIfAbsent(keysOwn, created);
        if (first != null) {
            first.onlyModelOfItsKey = false;
            created.onlyModelOfItsKey = false;
        }
    }

    /** @param laneKey the lane's key in {@link #lanes}; in Redis, only its hash */
    private Pace pace(String laneKey) {
        LocalPace local = new LocalPace(random);
        return shared == null ? local : new SharedPace(local, SharedLimit.laneName(laneKey), () -> shared);
    }

    /**
     * A lane's host, key and model, compared as they are: joining them into one string for each request's lookup
     * copied some 100 characters a request.
     */
    private static final class LaneKey {
        final String host;
        final String authorization;
        final String model;
        private final int hash;

        LaneKey(String host, String authorization, String model) {
            this.host = host == null ? "" : host.toLowerCase(Locale.ROOT);
            this.authorization = authorization == null ? "" : authorization;
            this.model = model == null ? "" : model;
            this.hash = (this.host.hashCode() * 31 + this.authorization.hashCode()) * 31 + this.model.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof LaneKey)) {
                return false;
            }
            LaneKey other = (LaneKey) o;
            return hash == other.hash && host.equals(other.host) && authorization.equals(other.authorization)
                    && model.equals(other.model);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /**
         * The three on lines of their own: what the lane's name in Redis is hashed from. Not toString: it holds the
         * key, which must never reach a log line.
         */
        String joined() {
            return host + '\n' + authorization + '\n' + model;
        }
    }

    /** A lane and the host, Authorization value and model it was given for, exactly as they were asked. */
    private static final class Recent {
        final String host;
        final String authorization;
        final String model;
        final Lane lane;

        Recent(String host, String authorization, String model, Lane lane) {
            this.host = host;
            this.authorization = authorization;
            this.model = model;
            this.lane = lane;
        }

        boolean isFor(String host, String authorization, String model) {
            return isForKey(host, authorization) && Objects.equals(this.model, model);
        }

        boolean isForKey(String host, String authorization) {
            return Objects.equals(this.host, host) && Objects.equals(this.authorization, authorization);
        }
    }

    private static String keyName(String authorization) {
        String token = ApiKey.tokenOf(authorization);
        return token == null || ApiKey.trimmed(token).isEmpty() ? "(no key)" : ApiKey.redacted(ApiKey.trimmed(token));
    }

    /** The cap on requests in flight, or null when there is none. */
    ConcurrencyLimit concurrency() {
        return concurrency;
    }
}
