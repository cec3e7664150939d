package io.togetheragent.it.probe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The answer's text in a chat completion, for the probes of frameworks that hand the application the raw JSON. */
final class AnswerText {
    private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"([^\"]*)\"");

    private AnswerText() {}

    /** The first message's content, or the whole body when it has none (an error's body, say). */
    static String of(String json) {
        Matcher m = CONTENT.matcher(json);
        return m.find() ? m.group(1) : json;
    }
}
