package io.togetheragent.it.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An application whose java.net.http client is built, and used once, before the agent arrives: it says READY,
 * waits until the signal file exists (the agent is attached by then), and calls again with the same client.
 * Usage: {@code LateAgentProbe <signal-file> --url URL}.
 */
public final class LateAgentProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(p.url));
        p.headers.forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(p.body())).build();
        for (int call = 0; call < 2; call++) {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ProbeArgs.reportStatus(call, r.statusCode(), null, r.body());
            if (call == 0) {
                ProbeArgs.readyThenAwait(args[0]);
            }
        }
        System.exit(0);
    }
}
