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

    private Outcome(int call, int status, String testHeader, String body, String error) {
        this.call = call;
        this.status = status;
        this.testHeader = testHeader;
        this.body = body;
        this.error = error;
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
                outcomes.add(new Outcome(call, -1, null, null, f[3]));
            } else {
                String[] rest = f[3].split(" ");
                String body = rest.length > 4 ? new String(Base64.getDecoder().decode(rest[4]), StandardCharsets.UTF_8)
                        : "";
                outcomes.add(new Outcome(call, Integer.parseInt(rest[0]), rest[2], body, null));
            }
        }
        return outcomes;
    }

    @Override
    public String toString() {
        return error != null ? "call " + call + " failed: " + error : "call " + call + " -> " + status;
    }
}
