package io.togetheragent.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service calling chat completions through the OpenAI Java SDK, as many do with Together's OpenAI-compatible API:
 * {@code calls} calls from {@code threads} threads. Prints one line per failed call and a RESULT line with the wall
 * clock of its first send and last answer, so runs in several JVMs can be put on one time line.
 *
 * <p>Usage: {@code OpenAiLoad <base-url> <api-key> <calls> <threads> <sdk-max-retries|default> [start-at-epoch-ms]}:
 * with a start time, the calls begin then, so that a fleet of JVMs started one after another begins together.
 */
public final class OpenAiLoad {
    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        int calls = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1").apiKey(args[1]);
        if (!args[4].equals("default")) {
            builder.maxRetries(Integer.parseInt(args[4]));
        }
        OpenAIClient client = builder.build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("meta-llama/Llama-3.3-70B-Instruct-Turbo")
                .addUserMessage("Say hello.")
                .build();
        if (args.length > 5) {
            Thread.sleep(Math.max(0, Long.parseLong(args[5]) - System.currentTimeMillis()));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        long start = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i; (i = next.getAndIncrement()) < calls; ) {
                    try {
                        client.chat().completions().create(params);
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        System.out.println("FAILED " + i + " " + e.getClass().getSimpleName());
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        long end = System.currentTimeMillis();
        System.out.println("RESULT ok=" + ok.get() + " calls=" + calls + " start=" + start + " end=" + end);
        client.close();
        System.exit(0);
    }
}
