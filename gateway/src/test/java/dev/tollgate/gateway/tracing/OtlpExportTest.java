package dev.tollgate.gateway.tracing;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.TracingSettings;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The real exporter (OTLP/HTTP on the JDK's client) sends the spans to a collector, with the configured headers. */
class OtlpExportTest {

    private record Export(String path, String contentType, String authorization, byte[] body) {
    }

    private final List<Export> received = new CopyOnWriteArrayList<>();
    private final HttpServer collector = collector();

    @AfterEach
    void stop() {
        collector.stop(0);
    }

    @Test
    void spansReachTheCollectorAsProtobufWithTheConfiguredHeaders() {
        URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
        RequestTracer tracer = Tracers.create(new TracingSettings(true, endpoint, 1.0, "gw-test", Map.of("authorization", "Bearer otlp-token")),
                Map.<String, String>of()::get);
        RequestSpan request = tracer.start("chat", Map.<String, String>of()::get);
        BackendConfig backend = new BackendConfig("b1", "anthropic", "claude-sonnet-4", URI.create("https://api.anthropic.com/v1"), null, 1, 0,
                null, null, null, null, null, null, null);
        request.attempt("main", backend, 1, false).end(new Usage(10, 5, 0, 0, false), null);
        request.end(new RequestOutcome("req-1", "main", "main", backend, "app", "search", 200, null, new Usage(10, 5, 0, 0, false),
                null, 1, null, false));

        tracer.close(); // flushes the batch

        assertThat(received).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/v1/traces");
            assertThat(e.contentType()).isEqualTo("application/x-protobuf");
            assertThat(e.authorization()).isEqualTo("Bearer otlp-token");
            String text = new String(e.body(), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("gw-test").contains("chat main").contains("chat claude-sonnet-4")
                    .contains("gen_ai.provider.name").contains("anthropic");
        });
    }

    private HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                received.add(new Export(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
