package io.togetheragent.it;

import io.togetheragent.testapp.standin.StandIn;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh Together stand-in on loopback for each test: no rate limit, any key accepted, answers scriptable. */
abstract class StandInTest {
    static final String BODY_429 = "{\"error\":{\"message\":\"Rate limit exceeded\","
            + "\"type\":\"dynamic_request_limited\",\"param\":null,\"code\":null}}";

    protected StandIn server;

    @BeforeEach
    void startServer() throws Exception {
        server = StandIn.start(0, 1, null);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    protected String url() {
        return server.url() + "/v1/chat/completions";
    }

    protected void enqueue429(int times, Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            server.enqueue(429, headers, BODY_429);
        }
    }
}
