package io.togetheragent.testapp.standin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the stand-in reads of a chat request: its model and what it costs in tokens, as Together counts roughly. */
public final class ChatBody {
    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern MAX_TOKENS = Pattern.compile("\"max(?:_completion)?_tokens\"\\s*:\\s*(\\d{1,9})");
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

    private ChatBody() {}

    /** The request's model, or null. */
    public static String model(String body) {
        Matcher m = MODEL.matcher(body);
        // The request's model is the last one named: the OpenAI SDK writes its messages first.
        String model = null;
        while (m.find()) {
            model = m.group(1);
        }
        return model;
    }

    /** The characters of the messages' contents / 4, at least 1. */
    static long promptTokens(String body) {
        long chars = 0;
        for (Matcher m = CONTENT.matcher(body); m.find(); ) {
            chars += m.group(1).length();
        }
        return Math.max(1, (chars + 3) / 4);
    }

    /** Whether the request asks for its answer as server-sent events ({@code "stream": true}). */
    static boolean streamed(String body) {
        return STREAM.matcher(body).find();
    }

    static long maxTokens(String body) {
        Matcher m = MAX_TOKENS.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
