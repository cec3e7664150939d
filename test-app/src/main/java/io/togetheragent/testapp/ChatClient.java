package io.togetheragent.testapp;

import java.io.IOException;

/** One way of calling Together's chat completions, with no retry logic of its own. */
interface ChatClient {
    /** Posts the JSON body; returns the HTTP status and response body. */
    Reply post(String url, String apiKey, String json) throws IOException;

    /** The calls are over: a client whose threads would keep the JVM alive stops them. */
    default void close() {}

    final class Reply {
        final int status;
        final String body;

        Reply(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }
}
