package io.togetheragent.it.probe;

import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.http.Body;
import retrofit2.http.Header;
import retrofit2.http.POST;

/**
 * A Retrofit service of Together's chat completions, as its users declare one, on the OkHttp client Retrofit builds
 * when given none; Retrofit retries nothing itself. Each call reports its status and the answer's text.
 */
public final class RetrofitProbe {
    interface Together {
        @POST("v1/chat/completions")
        Call<ResponseBody> chat(@Header("Authorization") String authorization, @Body RequestBody body);
    }

    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        Together together = new Retrofit.Builder().baseUrl(p.url.replaceFirst("v1/chat/completions$", "")).build()
                .create(Together.class);
        String authorization = p.headers.get("Authorization");
        MediaType json = MediaType.parse("application/json");
        p.runCalls(i -> {
            try {
                Response<ResponseBody> response = together.chat(authorization, RequestBody.create(json, p.bodyBytes()))
                        .execute();
                try (ResponseBody body = response.isSuccessful() ? response.body() : response.errorBody()) {
                    String text = body == null ? "" : body.string();
                    ProbeArgs.reportStatus(i, response.code(), null, (response.isSuccessful() ? AnswerText.of(text)
                            : text).getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }
}
