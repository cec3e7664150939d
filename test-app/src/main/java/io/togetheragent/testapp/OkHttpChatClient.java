package io.togetheragent.testapp;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Plain OkHttp, as the OpenAI Java SDK uses it underneath. */
final class OkHttpChatClient implements ChatClient {
    private static final MediaType JSON = MediaType.parse("application/json");
    private final OkHttpClient client = new OkHttpClient();

    @Override
    public Reply post(String url, String apiKey, String json) throws IOException {
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + apiKey)
                .post(RequestBody.create(json, JSON))
                .build();
        try (Response response = client.newCall(request).execute()) {
            return new Reply(response.code(), response.body() == null ? "" : response.body().string());
        }
    }
}
