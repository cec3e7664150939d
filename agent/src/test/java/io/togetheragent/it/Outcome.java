package io.togetheragent.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** What the application saw of one call, as its probe printed it. */
public final class Outcome {
    public final int call;
    /** The HTTP status, or -1 when the call ended with an exception. */
    public final int status;
    public final String testHeader;
    public final String body;
    public final String error;
    /** The class of the exception met reading the body, where the body broke off; else null. */
    public final String bodyFailure;

    private Outcome(int call, int status, String testHeader, String body, String error, String bodyFailure) {
        this.call = call;
        this.status = status;
        this.testHeader = testHeader;
        this.body = body;
        this.error = error;
        this.bodyFailure = bodyFailure;
    }

    /** The exception class the call ended with, or null. */
    public String errorClass() {
        return error == null ? null : error.split(":", 2)[0].trim();
    }

    /** Everything the application saw, for comparing a run with the agent against one without. */
    public String seen() {
        return error != null ? "exception " + errorClass()
                : status + " x-test=" + testHeader + " body=" + body
                        + (bodyFailure == null ? "" : " then " + bodyFailure);
    }

    public static List<Outcome> parse(String stdout) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.trim().split(" ", 4);
            if (f.length < 4 || !f[0].equals("CALL")) {
                continue;
            }
            int call = Integer.parseInt(f[1]);
            if (f[2].equals("ERROR")) {
                outcomes.add(new Outcome(call, -1, null, null, f[3], null));
            } else {
                String[] rest = f[3].split(" ");
                String body = rest.length > 4 ? new String(Base64.getDecoder().decode(rest[4]), StandardCharsets.UTF_8)
                        : "";
                String failure = rest.length > 6 && rest[5].equals("FAILED") ? rest[6] : null;
                outcomes.add(new Outcome(call, Integer.parseInt(rest[0]), rest[2], body, null, failure));
            }
        }
        return outcomes;
    }

    @Override
    public String toString() {
        return error != null ? "call " + call + " failed: " + error : "call " + call + " -> " + status;
    }
}
