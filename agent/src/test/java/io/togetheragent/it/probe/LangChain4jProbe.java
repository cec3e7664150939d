package io.togetheragent.it.probe;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * LangChain4j's OpenAI chat model pointed at Together by its base URL, as its users set it up, on its default HTTP
 * client (java.net.http): {@code --variant chat} (OpenAiChatModel, its own two retries on) or {@code streaming}
 * (OpenAiStreamingChatModel, which never retries). Each call reports 200 and the answer's text, or its error.
 */
public final class LangChain4jProbe {
    public static void main(String[] args) throws Exception {
        ProbeArgs p = ProbeArgs.parse(args);
        String base = p.url.replaceFirst("/chat/completions$", "");
        String key = p.headers.get("Authorization").substring("Bearer ".length());
        boolean streaming = "streaming".equals(p.variant);
        ChatModel chat = streaming ? null : OpenAiChatModel.builder().baseUrl(base).apiKey(key).modelName("m").build();
        StreamingChatModel stream = streaming
                ? OpenAiStreamingChatModel.builder().baseUrl(base).apiKey(key).modelName("m").build() : null;
        p.runCalls(i -> {
            String message = "h\u00e9llo \u2603 " + i;
            try {
                String answer = streaming ? streamed(stream, message) : chat.chat(message);
                ProbeArgs.reportStatus(i, 200, null, answer.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                ProbeArgs.reportError(i, e);
            }
        });
        p.exit();
    }

    /** The streamed answer's parts put together, once the model says the answer is complete. */
    private static String streamed(StreamingChatModel model, String message) throws Exception {
        StringBuilder parts = new StringBuilder();
        CompletableFuture<String> done = new CompletableFuture<>();
        model.chat(message, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String part) {
                parts.append(part);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(parts.toString());
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}
