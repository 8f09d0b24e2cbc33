package dev.tollgate.gateway.routing;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.StallingStreamUpstream;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream the gateway gives up on lets go of its upstream call at once: the upstream connection is closed when the
 * idle watchdog fires, and when the client disconnects the upstream call is cancelled and the key's parallel slot freed.
 */
class UpstreamReleaseTest {

    private static final String KEY = "sk-tg-release-test-key";
    private static final String STREAM = "{\"model\":\"stalling\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @TempDir
    Path dir;
    private StallingStreamUpstream upstream;
    private Gateway gateway;

    @AfterEach
    void close() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private Http start(String idle) throws Exception {
        upstream = new StallingStreamUpstream();
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: stalling
                    timeouts: { request: 120s, idle: %s }
                    backends:
                      - { name: stalling, provider: openai, model: gpt-4o-mini, baseUrl: %s, apiKey: sk-upstream-secret-1234 }
                  - model: quick
                    backends:
                      - { name: quick, provider: mock, model: mock-1 }
                keys:
                  - { name: one-at-a-time, key: %s, limits: { parallel: 1 } }
                """.formatted(idle, upstream.baseUrl(), KEY));
        return new Http(gateway.port());
    }

    @Test
    void idleTimeoutClosesTheUpstreamConnectionAtOnce() throws Exception {
        Http http = start("300ms");
        HttpResponse<String> r = http.post("/v1/chat/completions", KEY, STREAM);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"content\":\"Hello\"").contains("\"code\":\"upstream_timeout\"").endsWith("data: [DONE]\n\n");
        assertThat(upstream.accepted()).isEqualTo(1);
        // the upstream client's own idle timeout is 120 s: seeing the close within seconds means the gateway aborted it
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closedByGateway() == 1);
    }

    @Test
    void clientThatDisconnectsMidStreamCancelsTheUpstreamCallAndFreesItsParallelSlot() throws Exception {
        Http http = start("60s");
        byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = client.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("Hello")) {
                int c = in.read();
                assertThat(c).as("the stream's first chunk arrives").isNotEqualTo(-1);
                seen.append((char) c);
            }
            assertThat(seen.toString()).startsWith("HTTP/1.1 200");
            // the slot is taken while the stream runs
            assertThat(http.post("/v1/chat/completions", KEY, quick()).statusCode()).isEqualTo(429);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closedByGateway() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> http.post("/v1/chat/completions", KEY, quick()).statusCode() == 200);
    }

    private static String quick() {
        return "{\"model\":\"quick\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }
}
