package dev.tollgate.gateway.http;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.RawHttp;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway's graceful stop: a keep-alive connection idle at that moment is closed by the gateway at once (its client
 * goes to another pod) rather than after Jetty's shutdown idle timeout, while a stream in flight runs to its end.
 */
class GracefulStopTest {

    private static final String KEY = "sk-tg-stop-key-0001";
    private static final String STREAM = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    @Test
    void idleKeepAliveConnectionsAreClosedAtOnceWhileAStreamInFlightFinishes() throws Exception {
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
            Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                    routes:
                      - model: m
                        backends: [ { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s } ]
                    keys:
                      - { name: app, key: %s }
                    """.formatted(upstream.baseUrl(), KEY));
            CompletableFuture<Void> stopped = null;
            try (Socket idle = new Socket("127.0.0.1", gateway.port())) {
                idle.getOutputStream().write(RawHttp.request("GET", "/health/liveness", "", null));
                InputStream in = idle.getInputStream();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");

                CountDownLatch hold = upstream.holdLastChunk();
                Http http = new Http(gateway.port());
                CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> {
                    HttpResponse<InputStream> r = http.postStreaming("/v1/chat/completions", KEY, STREAM);
                    try (InputStream body = r.body()) {
                        return r.statusCode() + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> upstream.received().size() == 1);

                stopped = CompletableFuture.runAsync(gateway::close);
                idle.setSoTimeout(20_000);
                assertThat(in.read()).as("the idle connection is closed by the gateway").isEqualTo(-1);
                assertThat(stream).as("the stream is still held upstream").isNotDone();
                assertThat(gateway.metrics().registry().get("tollgate.connections.closed").tag("reason", "shutdown_idle")
                        .counter().count()).as("closed by the drain, not by Jetty's shutdown idle timeout").isEqualTo(1.0);

                hold.countDown();
                assertThat(stream.get(20, TimeUnit.SECONDS)).startsWith("200 ").contains("data: [DONE]");
                stopped.get(30, TimeUnit.SECONDS);
            } finally {
                if (stopped == null) {
                    gateway.close();
                }
            }
        }
    }

    /** Reads one response with a Content-Length body and returns its head. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the response head ended: " + head);
            }
            head.append((char) c);
        }
        String length = head.toString().toLowerCase(Locale.ROOT).replaceAll("(?s).*content-length: *(\\d+).*", "$1");
        in.readNBytes(Integer.parseInt(length));
        return head.toString();
    }
}
