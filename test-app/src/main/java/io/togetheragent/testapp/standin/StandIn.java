package io.togetheragent.testapp.standin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for Together's API on loopback: chat completions behind a token-bucket rate limit, with
 * Together-shaped 429 and 401 bodies and {@code x-ratelimit-*} headers. Tests can also script the next
 * responses exactly; every request is recorded, unless {@link #keepNoRequests} was asked for.
 */
public final class StandIn implements AutoCloseable {
    /** The key the demo uses; shaped like a real Together key, but worthless. */
    public static final String DEMO_KEY = "tgp_v1_standInDemoKey00000000000000000000000000000";

    private final HttpServer server;
    private final ExecutorService executor;
    /** The limits of requests whose model has none of its own; null for no limit. */
    private final ModelLimits defaultLimits;
    private final Map<String, ModelLimits> modelLimits = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Random overloads = new java.util.Random(42);
    private volatile double overloadShare;
    private final String apiKey;
    private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger received = new AtomicInteger();
    private volatile boolean keepsRequests = true;
    private final Map<Integer, AtomicInteger> statusCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile long delayMillis;

    static {
        // Without TCP_NODELAY the JDK's server stalls each small response some 40 ms (Nagle's algorithm meeting the
        // client's delayed ACK): 20 requests/s per connection instead of thousands. Read when the server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private StandIn(double rate, int burst, String apiKey, SSLContext tls) throws IOException {
        this.defaultLimits = rate > 0 ? new ModelLimits(rate, burst, 0, 0) : null;
        this.apiKey = apiKey;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 128);
        } else {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stand-in");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a stand-in.
     *
     * @param rate requests per second allowed; 0 for no limit
     * @param burst requests allowed at once
     * @param apiKey the only key accepted; null accepts any bearer token
     * @param tls serves HTTPS with this context; null for plain HTTP
     */
    public static StandIn start(double rate, int burst, String apiKey, SSLContext tls) throws IOException {
        return new StandIn(rate, burst, apiKey, tls);
    }

    public static StandIn start(double rate, int burst, String apiKey) throws IOException {
        return start(rate, burst, apiKey, null);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, for example {@code http://127.0.0.1:54321}. */
    public String url() {
        return url(null);
    }

    /** The stand-in's URL with the host called by the given name (a name of loopback), or its address when null. */
    public String url(String host) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        String name = host != null ? host : server.getAddress().getAddress().getHostAddress();
        return scheme + "://" + name + ":" + port();
    }

    /** The next request gets exactly this answer, whatever it asks; scripted answers are served in order. */
    public void enqueue(int status, Map<String, String> headers, String body) {
        script.add(new Scripted(status, headers, body));
    }

    /**
     * Requests for this model get limits of their own, as Together limits each model apart: requests per second and,
     * if {@code tokenRate} is not 0, tokens per second. A request costs the characters of its messages' contents / 4
     * plus its {@code max_tokens}, taken when it is admitted.
     */
    public StandIn limitModel(String model, double rate, double burst, double tokenRate, double tokenBurst) {
        modelLimits.put(model, new ModelLimits(rate, burst, tokenRate, tokenBurst));
        return this;
    }

    /**
     * This share of the requests within their limits is answered 503, as Together does when a model is out of
     * capacity.
     */
    public StandIn overload(double share) {
        overloadShare = share;
        return this;
    }

    /** Every answer from now on is held this long first, as a model generating its reply would. */
    public void delayResponses(long millis) {
        delayMillis = millis;
    }

    /** The most requests the stand-in was answering at one time. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public int requestCount() {
        return received.get();
    }

    /**
     * Counts requests (and their statuses) without keeping them: for the demo and benchmarks, whose hundreds of
     * thousands of calls would otherwise fill the heap, and whose collector's work would be counted as the calls'.
     */
    public StandIn keepNoRequests() {
        keepsRequests = false;
        return this;
    }

    public int count(int status) {
        AtomicInteger n = statusCounts.get(status);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            byte[] body = readAll(exchange.getRequestBody());
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().get(0));
            }
            RecordedRequest recorded = new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), headers, body, System.nanoTime(),
                    exchange.getRemoteAddress().getPort());
            received.incrementAndGet();
            if (keepsRequests) {
                requests.add(recorded);
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Scripted scripted = script.poll();
            if (scripted != null) {
                recorded.status = scripted.status;
                respond(exchange, scripted.status, scripted.headers, scripted.body);
            } else {
                serve(exchange, headers, new String(body, StandardCharsets.UTF_8), recorded);
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange, Map<String, String> headers, String body, RecordedRequest recorded)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.startsWith("/v1/")) {
            respond(exchange, 404, Collections.emptyMap(), error("Not found", "invalid_request_error", null));
            return;
        }
        String auth = headers.get("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || apiKey != null && !auth.equals("Bearer " + apiKey)) {
            respond(exchange, 401, Collections.emptyMap(), error("Invalid API key provided. You can find your API key"
                    + " at https://api.together.xyz/settings/api-keys.", "invalid_request_error", "invalid_api_key"));
            return;
        }
        Map<String, String> limits = new LinkedHashMap<>();
        String model = ChatBody.model(body);
        ModelLimits modelLimit = model == null ? null : modelLimits.get(model);
        ModelLimits limit = modelLimit != null ? modelLimit : defaultLimits;
        long promptTokens = ChatBody.promptTokens(body);
        long maxTokens = ChatBody.maxTokens(body);
        String refusal = limit == null ? null : limit.admit(promptTokens + maxTokens, limits);
        if (refusal != null) {
            recorded.refusal = refusal;
            recorded.status = 429;
            respond(exchange, 429, limits, error(refusal.equals("dynamic_token_limited")
                    ? "Rate limit exceeded: you are sending more tokens per second than your current limit"
                    : "Rate limit exceeded: you are sending requests faster than your current limit of "
                    + ModelLimits.format(limit.rate()) + " requests per second", refusal, null));
            return;
        }
        if (overloadShare > 0 && nextOverload()) {
            recorded.status = 503;
            respond(exchange, 503, limits, error("The server is overloaded or not ready yet.", "server_error", null));
            return;
        }
        recorded.status = 200;
        long completion = maxTokens > 0 ? Math.min(maxTokens, 5) : 5;
        String id = "\"id\":\"stand-in-" + System.nanoTime() + "\"";
        String named = "\"model\":\"" + (model == null ? "stand-in" : model) + "\"";
        String usage = "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (promptTokens + completion) + "}";
        if (ChatBody.streamed(body)) {
            limits.put("Content-Type", "text/event-stream");
            respond(exchange, 200, limits,
                    chunk(id, named, "{\"role\":\"assistant\",\"content\":\"Hello\"}", null, null)
                    + chunk(id, named, "{\"content\":\" from the stand-in.\"}", null, null)
                    + chunk(id, named, "{}", "\"stop\"", usage) + "data: [DONE]\n\n");
            return;
        }
        respond(exchange, 200, limits, "{" + id + ",\"object\":\"chat.completion\"," + named
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hello from the stand-in.\"},\"finish_reason\":\"stop\"}]," + usage + "}");
    }

    /** One server-sent event of a streamed answer, as Together sends them; the last has the finish reason and usage. */
    private static String chunk(String id, String model, String delta, String finishReason, String usage) {
        return "data: {" + id + ",\"object\":\"chat.completion.chunk\"," + model + ",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : finishReason) + "}]"
                + (usage == null ? "" : "," + usage) + "}\n\n";
    }

    private boolean nextOverload() {
        synchronized (overloads) {
            return overloads.nextDouble() < overloadShare;
        }
    }

    private void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        // No longer in flight once answered: the client may send its next request the moment the answer arrives.
        inFlight.decrementAndGet();
        statusCounts.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        Headers out = exchange.getResponseHeaders();
        out.set("Content-Type", "application/json");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            out.set(h.getKey(), h.getValue());
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    private static String error(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static final class Scripted {
        final int status;
        final Map<String, String> headers;
        final String body;

        Scripted(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }
}
