package io.togetheragent.core.settings;

import io.togetheragent.core.Durations;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting the agent reads: its name, its default and how its text becomes a value. A parse failure
 * throws IllegalArgumentException with a reason fit for the operator's log.
 */
public enum Setting {
    MODE("mode", "retry") {
        @Override
        Object parse(String text) {
            for (Mode m : Mode.values()) {
                if (m.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("expected retry, observe or off");
        }
    },
    HOSTS("hosts", "api.together.xyz,api.together.ai,*.api.together.ai") {
        @Override
        Object parse(String text) {
            return HostMatcher.parse(text);
        }
    },
    RETRY_STATUSES("retry-statuses", "429,503") {
        @Override
        Object parse(String text) {
            Set<Integer> statuses = new TreeSet<>();
            for (String item : text.split(",")) {
                if (item.trim().isEmpty()) {
                    continue;
                }
                int status = parseInt(item, "an HTTP status");
                if (status < 400 || status > 599) {
                    throw new IllegalArgumentException(status + " is not an HTTP error status (400-599)");
                }
                statuses.add(status);
            }
            return statuses;
        }
    },
    MAX_RETRIES("max-retries", "8") {
        @Override
        Object parse(String text) {
            int n = parseInt(text, "a whole number");
            if (n < 0 || n > 100) {
                throw new IllegalArgumentException("expected a whole number from 0 to 100");
            }
            return n;
        }
    },
    MAX_WAIT("max-wait", "60s") {
        @Override
        Object parse(String text) {
            return duration(text);
        }
    },
    BASE_DELAY("base-delay", "500ms") {
        @Override
        Object parse(String text) {
            return duration(text);
        }
    },
    MAX_DELAY("max-delay", "20s") {
        @Override
        Object parse(String text) {
            return duration(text);
        }
    },
    THROTTLE("throttle", "adaptive") {
        @Override
        Object parse(String text) {
            return choice(text, "adaptive", "off").equals("adaptive");
        }
    },
    MAX_CONCURRENT("max-concurrent", "0") {
        @Override
        Object parse(String text) {
            int n = parseInt(text, "a whole number");
            if (n < 0 || n > 100_000) {
                throw new IllegalArgumentException("expected a whole number from 0 (no cap) to 100000");
            }
            return n;
        }
    },
    RETRY_BUDGET("retry-budget", "20%") {
        @Override
        Object parse(String text) {
            String v = text.trim().toLowerCase(Locale.ROOT);
            if (v.equals("off")) {
                return -1;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})\\s*%?").matcher(v);
            if (!m.matches() || Integer.parseInt(m.group(1)) > 1000) {
                throw new IllegalArgumentException("expected a share of requests from 0% to 1000%, or off");
            }
            return Integer.parseInt(m.group(1));
        }
    },
    MAX_REPLAY_BYTES("max-replay-bytes", "8MiB") {
        @Override
        Object parse(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,10})\\s*(B|KiB|MiB)?")
                    .matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a size such as 65536, 512KiB or 8MiB");
            }
            long n = Long.parseLong(m.group(1));
            long bytes = "MiB".equals(m.group(2)) ? n << 20 : "KiB".equals(m.group(2)) ? n << 10 : n;
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("at most 2047MiB");
            }
            return (int) bytes;
        }
    },
    KEY_CHECK("key-check", "on") {
        @Override
        Object parse(String text) {
            return onOff(text);
        }
    },
    KEY_REPAIR("key-repair", "off") {
        @Override
        Object parse(String text) {
            return choice(text, "off", "trim").equals("trim");
        }
    },
    CONFIG_RELOAD_INTERVAL("config-reload-interval", "30s") {
        @Override
        Object parse(String text) {
            return intervalOfASecondOrMore(text);
        }
    },
    SUMMARY_INTERVAL("summary-interval", "5m") {
        @Override
        Object parse(String text) {
            return intervalOfASecondOrMore(text);
        }
    },
    /** Where the lanes are shared with a fleet: a Redis URL, or off. Its text may hold a password ({@link #shown}). */
    SHARED_LIMIT("shared-limit", "off") {
        @Override
        Object parse(String text) {
            if (text.trim().equalsIgnoreCase("off")) {
                return OFF;
            }
            return io.togetheragent.core.shared.RedisUrl.parse(text);
        }

        @Override
        public String shown(String text) {
            return text.replaceAll("//[^@/]*@", "//***@");
        }
    },
    SHARED_LIMIT_TIMEOUT("shared-limit-timeout", "50ms") {
        @Override
        Object parse(String text) {
            Long millis = duration(text);
            if (millis < 1 || millis > 5000) {
                throw new IllegalArgumentException("expected a duration from 1ms to 5s");
            }
            return millis;
        }
    },
    LOG_LEVEL("log-level", "info") {
        @Override
        Object parse(String text) {
            String level = text.trim().toLowerCase(Locale.ROOT);
            if (!level.matches("off|error|warn|info|debug|trace")) {
                throw new IllegalArgumentException("expected off, error, warn, info, debug or trace");
            }
            return level;
        }
    },
    LOG_FILE("log-file", "stderr") {
        @Override
        Object parse(String text) {
            if (text.trim().isEmpty()) {
                throw new IllegalArgumentException("expected a file path or stderr");
            }
            return text.trim();
        }
    };

    /** The value of a setting that is off. */
    static final Object OFF = "off";

    private final String key;
    private final String defaultText;

    Setting(String key, String defaultText) {
        this.key = key;
        this.defaultText = defaultText;
    }

    /** The name operators write: {@code max-retries}. */
    public String key() {
        return key;
    }

    public String defaultText() {
        return defaultText;
    }

    /** The system property that carries this setting: {@code together.agent.max-retries}. */
    public String propertyName() {
        return "together.agent." + key;
    }

    /** The environment variable that carries this setting: {@code TOGETHER_AGENT_MAX_RETRIES}. */
    public String envName() {
        return envName(key);
    }

    static String envName(String key) {
        return ("TOGETHER_AGENT_" + key).toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    abstract Object parse(String text);

    /** The text as a log line or a message may show it: a password in it as {@code ***}. */
    public String shown(String text) {
        return text;
    }

    Object defaultValue() {
        return parse(defaultText);
    }

    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + what);
        }
    }

    private static Boolean onOff(String text) {
        return choice(text, "on", "off").equals("on");
    }

    /** One of two words, case-insensitive. */
    private static String choice(String text, String first, String second) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(first) && !v.equals(second)) {
            throw new IllegalArgumentException("expected " + first + " or " + second);
        }
        return v;
    }

    private static Long intervalOfASecondOrMore(String text) {
        Long millis = duration(text);
        if (millis < 1000) {
            throw new IllegalArgumentException("expected 1s or more");
        }
        return millis;
    }

    private static Long duration(String text) {
        long millis = Durations.parseMillis(text);
        if (millis < 0) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 20s or 2m");
        }
        return millis;
    }
}
