package io.togetheragent.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service calling chat completions through the OpenAI Java SDK, as many do with Together's OpenAI-compatible API.
 * Each workload is a model's calls from threads of their own (a RAG service's chat and embedding flows), all begun
 * together. Prints one line per failed call, each call's duration in a P95 line, and a RESULT line with the wall
 * clock of its first send and last answer, so runs in several JVMs can be put on one time line.
 *
 * <p>Usage: {@code OpenAiLoad <base-url> <api-key> <sdk-max-retries|default> <start-at-epoch-ms|now>
 * <model>:<calls>:<threads>[:<max-tokens>]...}: with a start time, the calls begin then, so that a fleet of JVMs
 * started one after another begins together.
 */
public final class OpenAiLoad {
    public static void main(String[] args) throws Exception {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder().baseUrl(args[0] + "/v1").apiKey(args[1]);
        if (!args[2].equals("default")) {
            builder.maxRetries(Integer.parseInt(args[2]));
        }
        OpenAIClient client = builder.build();
        if (Boolean.getBoolean("bench.warm-up")) {
            warmUp(args[1]);
        }
        if (!args[3].equals("now")) {
            Thread.sleep(Math.max(0, Long.parseLong(args[3]) - System.currentTimeMillis()));
        }
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<Long> durations = Collections.synchronizedList(new ArrayList<>());
        List<ExecutorService> pools = new ArrayList<>();
        long start = System.currentTimeMillis();
        for (int w = 4; w < args.length; w++) {
            String[] spec = args[w].split(":");
            ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(spec[0])
                    .addUserMessage("Say hello.");
            if (spec.length > 3) {
                params.maxTokens(Long.parseLong(spec[3]));
            }
            ChatCompletionCreateParams request = params.build();
            int n = Integer.parseInt(spec[1]);
            calls.addAndGet(n);
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(spec[2]));
            pools.add(pool);
            for (int t = 0; t < Integer.parseInt(spec[2]); t++) {
                pool.execute(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        long began = System.nanoTime();
                        try {
                            client.chat().completions().create(request);
                            ok.incrementAndGet();
                        } catch (RuntimeException e) {
                            System.out.println("FAILED " + spec[0] + " " + i + " " + e.getClass().getSimpleName());
                        }
                        durations.add(System.nanoTime() - began);
                    }
                });
            }
        }
        for (ExecutorService pool : pools) {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.MINUTES);
        }
        long end = System.currentTimeMillis();
        List<Long> sorted = new ArrayList<>(durations);
        Collections.sort(sorted);
        long p95 = percentile(sorted, 0.95);
        System.out.println("P95 " + TimeUnit.NANOSECONDS.toMillis(p95) + " MAX "
                + TimeUnit.NANOSECONDS.toMillis(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
        System.out.println("LATENCY p50=" + TimeUnit.NANOSECONDS.toMicros(percentile(sorted, 0.50)) + " p99="
                + TimeUnit.NANOSECONDS.toMicros(percentile(sorted, 0.99)));
        System.out.println("RESULT ok=" + ok.get() + " calls=" + calls.get() + " start=" + start + " end=" + end);
        client.close();
        System.exit(0);
    }

    /**
     * One call to a closed port before the agreed start, so that the JVM's first call — class loading, the agent's
     * weaving — is behind it: sixteen cold JVMs making their first calls at one instant on two cores leave the
     * server idle for seconds, which says nothing about how their calls are paced.
     */
    private static void warmUp(String apiKey) {
        OpenAIClient cold = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:1/v1").apiKey(apiKey).maxRetries(0)
                .build();
        try {
            cold.chat().completions().create(ChatCompletionCreateParams.builder().model("warm-up")
                    .addUserMessage("Say hello.").build());
        } catch (RuntimeException expected) {
            // Nothing listens there.
        }
        cold.close();
    }

    private static long percentile(List<Long> sorted, double share) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(share * sorted.size()) - 1);
    }
}
