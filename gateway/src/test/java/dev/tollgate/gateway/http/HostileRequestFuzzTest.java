package dev.tollgate.gateway.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.CapturedLogs;
import dev.tollgate.gateway.testing.RawHttp;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 hostile requests from a seeded generator against a running gateway over HTTP: malformed, truncated and
 * mistyped JSON, huge strings and arrays, unicode edge cases, header abuse, forged and near-miss keys. Passing
 * means: no 5xx, no exception or error in the server log, and no request with an invalid key ever past
 * authentication (it gets 401, or a 4xx Jetty gives before any handler runs).
 */
class HostileRequestFuzzTest {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 100_000);
    private static final int SENDERS = 4;
    private static final String KEY = "sk-tg-fuzz-key-0123456789";
    private static final long SEED = 0x7011_6a7eL;

    @TempDir
    Path dir;

    /** One generated request and what it must not get. */
    record Case(String kind, byte[] bytes, boolean validKey) {
    }

    @Test
    void hundredThousandHostileRequestsNeverBreakTheGateway() throws Exception {
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        List<ILoggingEvent> bad;
        try (CapturedLogs logs = new CapturedLogs();
             Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                       maxBodyBytes: 65536
                       security: { authFailuresPerMinute: 0, maxHeaders: 50, maxHeaderBytes: 8192 }
                     routes:
                       - model: m
                         backends: [ { name: mock, provider: mock, model: m, mock: { words: 3 } } ]
                     keys:
                       - { name: fuzz, key: %s }
                     """.formatted(KEY))) {
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Random random = new Random(SEED + s);
                String[] last = {"none"};
                senders.add(Thread.ofVirtual().start(() -> {
                    try (RawHttp http = new RawHttp(gateway.port())) {
                        String previous = "none";
                        for (int i = 0; i < REQUESTS / SENDERS; i++, previous = last[0]) {
                            Case c = generate(random);
                            last[0] = c.kind() + "/" + new String(c.bytes(), 0, Math.min(120, c.bytes().length), StandardCharsets.ISO_8859_1).replace("\r\n", " | ");
                            RawHttp.Response r;
                            try {
                                r = http.send(c.bytes());
                            } catch (Exception e) {
                                violations.add(c.kind() + ": no response (" + e + ")");
                                continue;
                            }
                            sent.incrementAndGet();
                            statuses.computeIfAbsent(c.kind() + " " + r.status(), k -> new AtomicInteger()).incrementAndGet();
                            if (r.status() >= 500) {
                                violations.add(c.kind() + ": " + r.status() + " " + r.body());
                            } else if (r.status() >= 400 && !r.body().startsWith("{\"error\":{")) {
                                violations.add(c.kind() + ": " + r.status() + " without OpenAI error body: " + r.body());
                            } else if (!c.validKey() && r.status() != 401 && !(r.status() >= 400 && r.status() < 500 && c.kind().startsWith("header"))) {
                                violations.add(c.kind() + ": invalid key got " + r.status() + " " + r.body() + " after " + previous + " now " + last[0]);
                            }
                        }
                    }
                }));
            }
            for (Thread t : senders) {
                t.join();
            }
            bad = logs.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null).toList();
        }
        System.out.println("Fuzz: " + sent.get() + " responses; by kind and status: " + new java.util.TreeMap<>(statuses));
        assertThat(violations).as("violations").isEmpty();
        assertThat(sent.get()).isEqualTo(REQUESTS);
        assertThat(bad).as("errors or exceptions in the server log").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(statuses.keySet()).as("valid requests still succeed").anyMatch(k -> k.endsWith(" 200"));
    }

    // ---- the generator ----------------------------------------------------------------------------------------

    private static final String[] PATHS = {"/v1/chat/completions", "/chat/completions", "/v1/completions", "/v1/embeddings"};
    private static final String[] UNICODE = {"\u0000", "\uFEFF", "\u202E", "\uD83D\uDE00", "\\ud800", "\\udfff", "e\u0301", "\u00FF",
            "\uFFFF", "\\u0000", "𝕏", "\u2028"};

    static Case generate(Random r) {
        int pick = r.nextInt(100);
        String path = PATHS[r.nextInt(PATHS.length)];
        if (pick < 10) {
            return headerAbuse(r, path);
        }
        if (pick < 30) {
            String key = forgedKey(r);
            return new Case("forged-key", post(path, key == null ? "" : "Authorization: " + key + "\r\n", body(r, path)), false);
        }
        return new Case("body", post(path, "Authorization: Bearer " + KEY + "\r\n", body(r, path)), true);
    }

    private static byte[] post(String path, String headers, byte[] body) {
        return RawHttp.request("POST", path, headers + "Content-Type: application/json\r\n", body);
    }

    private static String forgedKey(Random r) {
        char[] k = KEY.toCharArray();
        return switch (r.nextInt(10)) {
            case 0 -> null;
            case 1 -> "Bearer ";
            case 2 -> {
                int i = r.nextInt(k.length);
                k[i] = (char) (k[i] == 'a' ? 'b' : 'a');
                yield "Bearer " + new String(k);
            }
            case 3 -> "Bearer " + KEY.substring(0, KEY.length() - 1);
            case 4 -> "Bearer " + KEY + "0";
            case 5 -> "Bearer " + KEY.toUpperCase();
            case 6 -> "Basic " + KEY;
            case 7 -> KEY;
            case 8 -> "Bearer sk-tg-" + Long.toHexString(r.nextLong());
            default -> "Bearer " + KEY.replace('-', '\u2010');
        };
    }

    private static Case headerAbuse(Random r, String path) {
        boolean validKey = r.nextBoolean();
        String auth = "Authorization: Bearer " + (validKey ? KEY : forgedKeyValue(r)) + "\r\n";
        String extra = switch (r.nextInt(8)) {
            case 0 -> "X-Long: " + "x".repeat(9000 + r.nextInt(5000)) + "\r\n";
            case 1 -> "X-Many: 1\r\n".repeat(60 + r.nextInt(100));
            case 2 -> "Authorization: Bearer other\r\n";
            case 3 -> "Content-Type: text/html\r\n";
            case 4 -> "Content-Type: application/json; charset=ebcdic\r\n";
            case 5 -> "X-Nul: a\u0001b\r\n";
            case 6 -> "Transfer-Encoding: gzip\r\n";
            default -> "Bad Header Line\r\n";
        };
        byte[] body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + extra + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return new Case("header-abuse", all, validKey);
    }

    private static String forgedKeyValue(Random r) {
        return "sk-tg-fuzz-key-" + Long.toHexString(r.nextLong());
    }

    private static byte[] body(Random r, String path) {
        String field = path.endsWith("embeddings") ? "input" : path.endsWith("/completions") && !path.contains("chat") ? "prompt" : "messages";
        String valid = field.equals("messages")
                ? "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + unicode(r) + "\"}]" + (r.nextInt(4) == 0 ? ",\"stream\":true" : "") + "}"
                : "{\"model\":\"m\",\"" + field + "\":\"" + unicode(r) + "\"}";
        String body = switch (r.nextInt(12)) {
            case 0 -> valid;
            case 1 -> valid.substring(0, r.nextInt(valid.length())); // truncated
            case 2 -> "{\"model\":" + r.nextInt() + ",\"messages\":[]}"; // wrong type
            case 3 -> "{\"model\":\"m\",\"messages\":\"" + unicode(r) + "\"}";
            case 4 -> "{\"model\":\"m\",\"messages\":[1,null,true,{\"role\":7}],\"stream\":\"yes\"}";
            case 5 -> "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "A".repeat(r.nextInt(70_000)) + "\"}]}"; // huge string
            case 6 -> "{\"model\":\"m\",\"messages\":[" + "{\"role\":\"user\",\"content\":\"x\"},".repeat(r.nextInt(2000)) + "{\"role\":\"user\",\"content\":\"x\"}]}";
            case 7 -> "[".repeat(r.nextInt(200)) + "]".repeat(r.nextInt(200));
            case 8 -> "{\"model\":\"m\",\"max_tokens\":" + (r.nextBoolean() ? "-1" : "1e400") + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            case 9 -> new String(randomBytes(r), StandardCharsets.ISO_8859_1);
            case 10 -> "{\"model\":\"" + unicode(r) + unicode(r) + "\",\"" + field + "\":[\"" + unicode(r) + "\"]}";
            default -> "{\"model\":\"m\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":{\"nested\":" + "{\"a\":".repeat(r.nextInt(80)) + "1" + "}".repeat(r.nextInt(80)) + "}}]}";
        };
        return r.nextInt(20) == 0 ? randomBytes(r) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static String unicode(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(6); i >= 0; i--) {
            sb.append(UNICODE[r.nextInt(UNICODE.length)]);
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(300)];
        r.nextBytes(b);
        return b;
    }
}
