package io.togetheragent.it;

import io.togetheragent.it.probe.FeignProbe;
import io.togetheragent.it.probe.RetrofitProbe;
import org.junit.jupiter.api.Test;

/**
 * The declarative HTTP clients whose users call Together through an interface of their own, each on its default
 * client, through the frameworks' acceptance run ({@link ThroughARateLimit}).
 */
class DeclarativeClientsIT {
    /** On HttpURLConnection. Feign's retryer leaves a 429 without Retry-After alone: without the agent most fail. */
    @Test
    void feignSucceedsThroughARateLimit() throws Exception {
        ThroughARateLimit.run("feign", FeignProbe.class);
    }

    /** On OkHttp 3, built by Retrofit; Retrofit retries nothing itself. */
    @Test
    void retrofitSucceedsThroughARateLimit() throws Exception {
        ThroughARateLimit.run("retrofit", RetrofitProbe.class);
    }
}
