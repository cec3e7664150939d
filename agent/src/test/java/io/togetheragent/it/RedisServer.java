package io.togetheragent.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process of the test's own, on a free port, that the test can stop and start again
 * on the same port. Where no {@code redis-server} is installed the test is skipped, saying so — except where
 * {@code REDIS_REQUIRED} is set (CI sets it, having installed Redis), where that is a failure.
 */
public final class RedisServer implements AutoCloseable {
    private static final String HOW = "install Redis 6 or newer (Debian/Ubuntu: apt-get install redis-server;"
            + " macOS: brew install redis), or put redis-server on the PATH";

    private final String binary;
    private final int port;
    private final String password;
    private final Path dir;
    private Process process;

    private RedisServer(String binary, int port, String password) throws IOException {
        this.binary = binary;
        this.port = port;
        this.password = password;
        this.dir = TempDirs.create("redis");
    }

    /** Starts one, or skips the test when none can be found (fails it where Redis is required). */
    public static RedisServer start() throws IOException, InterruptedException {
        return start(null);
    }

    /** @param password what clients must AUTH with, or null for none */
    public static RedisServer start(String password) throws IOException, InterruptedException {
        String binary = find();
        if (binary == null && System.getenv("REDIS_REQUIRED") != null) {
            throw new AssertionError("REDIS_REQUIRED is set but no redis-server was found: " + HOW);
        }
        assumeTrue(binary != null, "skipped: these tests need a real Redis and no redis-server was found; " + HOW);
        RedisServer server = new RedisServer(binary, freePort(), password);
        server.start0();
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (its data goes with it: it keeps none on disk). */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() throws IOException, InterruptedException {
        stop();
        start0();
    }

    /** Sends one command on a connection of its own and returns the raw reply's first line. */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (password != null) {
                out.write(resp("AUTH", password));
                readLine(in);
            }
            out.write(resp(args));
            return readReply(in);
        }
    }

    private void start0() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (password != null) {
            cmd.add("--requirepass");
            cmd.add(password);
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("redis-server did not answer on port " + port + ": "
                + Files.readString(dir.resolve("redis.log")));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String find() {
        String path = System.getenv("PATH") + File.pathSeparator + "/usr/bin:/usr/local/bin:/opt/homebrew/bin";
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            b.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The reply as text: a simple line, or a bulk string's or array's items joined by newlines. */
    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.startsWith("$")) {
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                return "(nil)";
            }
            byte[] bytes = in.readNBytes(length + 2);
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
        if (line.startsWith("*")) {
            int count = Integer.parseInt(line.substring(1));
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < count; i++) {
                items.append(i == 0 ? "" : "\n").append(readReply(in));
            }
            return items.toString();
        }
        return line;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
