package io.togetheragent.it.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * As {@link LateAgentProbe}, with an Apache HttpClient 5 client built and used before the agent arrives.
 * Usage: {@code LateHttpClient5Probe <signal-file> --url URL}.
 */
public final class LateHttpClient5Probe {
    public static void main(String[] args) throws Exception {
        Path signal = Paths.get(args[0]);
        ProbeArgs p = ProbeArgs.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        try (CloseableHttpClient client = HttpClients.custom().disableAutomaticRetries().build()) {
            for (int call = 0; call < 2; call++) {
                HttpPost post = new HttpPost(p.url);
                p.headers.forEach(post::setHeader);
                post.setEntity(new StringEntity(p.body(), ContentType.APPLICATION_JSON));
                try (CloseableHttpResponse r = client.execute(post)) {
                    ProbeArgs.reportStatus(call, r.getCode(), null, EntityUtils.toByteArray(r.getEntity()));
                }
                if (call == 0) {
                    System.out.println("READY");
                    System.out.flush();
                    for (int i = 0; i < 600 && !Files.exists(signal); i++) {
                        Thread.sleep(100);
                    }
                }
            }
        }
        System.exit(0);
    }
}
