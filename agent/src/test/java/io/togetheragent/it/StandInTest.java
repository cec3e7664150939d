package io.togetheragent.it;

import io.togetheragent.testapp.standin.StandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh Together stand-in on loopback for each test: no rate limit, any key accepted, answers scriptable. Over
 * HTTPS it is {@code api.together.xyz}, resolved to loopback and trusted by the child JVMs (see {@link TestTls}).
 */
abstract class StandInTest {
    static final String BODY_429 = "{\"error\":{\"message\":\"Rate limit exceeded\","
            + "\"type\":\"dynamic_request_limited\",\"param\":null,\"code\":null}}";

    protected StandIn server;

    /** Whether the stand-in serves HTTPS as Together's own host name. */
    protected boolean https() {
        return false;
    }

    @BeforeEach
    void startServer() throws Exception {
        server = StandIn.start(0, 1, null, https() ? TestTls.serverContext() : null);
    }

    /** The host name the clients call. */
    protected String host() {
        return https() ? "api.together.xyz" : "127.0.0.1";
    }

    /** What a child JVM needs to reach the stand-in. */
    protected List<String> clientOptions() throws Exception {
        return https() ? TestTls.clientOptions() : List.of();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    protected String url() {
        return (https() ? "https://" : "http://") + host() + ":" + server.port() + "/v1/chat/completions";
    }

    protected void enqueue429(int times, Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            server.enqueue(429, headers, BODY_429);
        }
    }
}
