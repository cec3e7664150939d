package io.togetheragent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-read URL of {@link RequestTarget#ofUrl} says what java.net.URI says of every URL that URI can read. */
class RequestTargetTest {
    @Test
    void readsTheHostPortAndPathAsUriDoes() {
        String[] urls = {
            "https://api.together.xyz/v1/chat/completions",
            "http://127.0.0.1:8080/v1/chat/completions?x=1#f",
            "https://api.together.ai",
            "https://api.together.ai?q",
            "https://api.together.ai:/v1",
            "http://user:secret@host.example:81/p",
            "http://[::1]:9000/v1",
            "https://[2001:db8::1]/v1/models",
            "HTTPS://API.TOGETHER.XYZ/V1",
            "wss://host.example/socket",
            "http://host.example#frag/not-path",
            "http://host.example/a%20b/c",
        };
        for (String url : urls) {
            assertSameAsUri(url);
        }
    }

    @Test
    void readsRandomUrlsAsUriDoes() {
        Random random = new Random(18);
        String[] schemes = {"http", "https", "HTTP", "wss", "ws"};
        String[] hosts = {"api.together.xyz", "127.0.0.1", "[::1]", "h", "a-b.c-d.example", "user@host.example"};
        String[] ports = {"", ":", ":0", ":443", ":8080", ":65535"};
        String[] paths = {"", "/", "/v1/chat/completions", "/a/b/", "/%41", "//double"};
        String[] tails = {"", "?a=b", "#x", "?a=/b#c", "?"};
        for (int i = 0; i < 20_000; i++) {
            assertSameAsUri(pick(random, schemes) + "://" + pick(random, hosts) + pick(random, ports)
                    + pick(random, paths) + pick(random, tails));
        }
    }

    @Test
    void aUrlWithoutAHostOrWithABadPortHasNoTarget() {
        assertNull(RequestTarget.ofUrl("http:///v1"));
        assertNull(RequestTarget.ofUrl("http://:80/v1"));
        assertNull(RequestTarget.ofUrl("http://host:8o/v1"));
        assertNull(RequestTarget.ofUrl("http://host:123456/v1"));
        assertNull(RequestTarget.ofUrl("http://[::1/v1"));
        assertNull(RequestTarget.ofUrl("http://[::1]x/v1"));
        assertNull(RequestTarget.ofUrl("no-scheme/v1"));
    }

    private static void assertSameAsUri(String url) {
        URI uri = URI.create(url);
        RequestTarget target = RequestTarget.ofUrl(url);
        assertNotNull(uri.getHost(), url);
        assertNotNull(target, url);
        boolean secure = "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
        assertEquals(uri.getHost(), target.host, url);
        assertEquals(uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80, target.port, url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        assertEquals(path, target.path, url);
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
