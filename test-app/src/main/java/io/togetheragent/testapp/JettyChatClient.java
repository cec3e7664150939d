package io.togetheragent.testapp;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/** Jetty 12's HttpClient (needs Java 17), blocking {@code send()}; started at the first call. */
final class JettyChatClient implements ChatClient {
    private HttpClient client;

    private synchronized HttpClient client() throws IOException {
        if (client == null) {
            HttpClient c = new HttpClient();
            // Daemon threads, so that the test-app ends when its calls have.
            QueuedThreadPool pool = new QueuedThreadPool();
            pool.setDaemon(true);
            c.setExecutor(pool);
            c.setScheduler(new ScheduledExecutorScheduler("jetty-scheduler", true));
            try {
                c.start();
            } catch (Exception e) {
                throw new IOException("Jetty's HttpClient did not start", e);
            }
            // Jetty's own 401 handler fails a 401 without a challenge, as Together's are; bearer-token clients drop it.
            c.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
            client = c;
        }
        return client;
    }

    @Override
    public Reply post(String url, String apiKey, String json) throws IOException {
        try {
            ContentResponse r = client().POST(url).headers(h -> h.put("Authorization", "Bearer " + apiKey))
                    .body(new StringRequestContent("application/json", json)).timeout(120, TimeUnit.SECONDS).send();
            return new Reply(r.getStatus(), r.getContentAsString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(e.getCause() != null ? e.getCause() : e);
        }
    }
}
