package io.togetheragent.core.settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the settings from their four sources, first found wins: the agent argument
 * ({@code -javaagent:together-agent.jar=name=value,...}), system properties ({@code together.agent.name}),
 * environment variables ({@code TOGETHER_AGENT_NAME}) and the properties file named by
 * {@code together.agent.config}. Bad input never stops the agent: it becomes a problem line and the default.
 */
public final class SettingsLoader {
    static final String CONFIG_KEY = "config";

    private final List<String> problems = new ArrayList<>();

    private SettingsLoader() {}

    /** The settings, and one line per problem met on the way (for the caller to log once logging works). */
    public static final class Result {
        public final Settings settings;
        public final List<String> problems;
        /** The config file named by the sources, or null. */
        public final String configFile;
        /** The settings the config file gave, as text. */
        public final Map<String, String> fileValues;
        /** The settings given by a source above the file (agent argument, system property, environment). */
        public final java.util.Set<Setting> aboveFile;

        Result(Settings settings, List<String> problems, String configFile, Map<String, String> fileValues,
               java.util.Set<Setting> aboveFile) {
            this.settings = settings;
            this.problems = Collections.unmodifiableList(problems);
            this.configFile = configFile;
            this.fileValues = Collections.unmodifiableMap(fileValues);
            this.aboveFile = Collections.unmodifiableSet(aboveFile);
        }
    }

    public static Result load(String agentArgs, Map<String, String> systemProperties, Map<String, String> env) {
        SettingsLoader loader = new SettingsLoader();
        Map<String, String> args = loader.parseAgentArgs(agentArgs);
        String configFile = first(args.get(CONFIG_KEY), systemProperties.get("together.agent." + CONFIG_KEY),
                env.get(Setting.envName(CONFIG_KEY)));
        Map<String, String> file = loader.readConfigFile(configFile);
        loader.reportUnknown(args, "agent argument");
        loader.reportUnknown(file, "config file");

        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        java.util.Set<Setting> aboveFile = java.util.EnumSet.noneOf(Setting.class);
        for (Setting s : Setting.values()) {
            String above = first(args.get(s.key()), systemProperties.get(s.propertyName()), env.get(s.envName()));
            if (above != null) {
                aboveFile.add(s);
            }
            String text = first(above, file.get(s.key()));
            if (text == null) {
                continue;
            }
            try {
                values.put(s, s.parse(text));
            } catch (IllegalArgumentException e) {
                loader.problems.add("invalid value '" + s.shown(text) + "' for setting '" + s.key() + "' ("
                        + e.getMessage() + "); using the default '" + s.defaultText() + "'");
            }
        }
        return new Result(new Settings(values), loader.problems,
                configFile == null || configFile.trim().isEmpty() ? null : configFile.trim(), file, aboveFile);
    }

    /** The JVM's own sources, for the agent's entry point. */
    public static Result fromEnvironment(String agentArgs) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("together.agent.")) {
                props.put(name, System.getProperty(name));
            }
        }
        return load(agentArgs, props, System.getenv());
    }

    // Values may hold commas themselves (hosts=a,b): a piece without '=' continues the previous value.
    private Map<String, String> parseAgentArgs(String agentArgs) {
        Map<String, String> args = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.trim().isEmpty()) {
            return args;
        }
        String lastKey = null;
        for (String piece : agentArgs.split(",")) {
            int eq = piece.indexOf('=');
            if (eq < 0 && lastKey != null) {
                args.put(lastKey, args.get(lastKey) + "," + piece);
            } else if (eq <= 0) {
                problems.add("agent argument '" + piece + "' is not name=value; ignored");
            } else {
                lastKey = piece.substring(0, eq).trim();
                args.put(lastKey, piece.substring(eq + 1));
            }
        }
        return args;
    }

    private Map<String, String> readConfigFile(String path) {
        if (path == null || path.trim().isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            return readFile(path.trim());
        } catch (IOException | RuntimeException e) {
            problems.add("cannot read config file '" + path + "' (" + e + "); using the other sources only");
            return new LinkedHashMap<>();
        }
    }

    /** A settings file's {@code name=value} lines ({@code together.agent.name=value} works too). */
    static Map<String, String> readFile(String path) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            props.load(in);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            String key = name.startsWith("together.agent.") ? name.substring("together.agent.".length()) : name;
            values.put(key, props.getProperty(name).trim());
        }
        return values;
    }

    private void reportUnknown(Map<String, String> source, String where) {
        for (String key : source.keySet()) {
            if (Setting.byKey(key) == null && !key.equals(CONFIG_KEY)) {
                problems.add("unknown setting '" + key + "' in " + where + "; ignored");
            }
        }
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
