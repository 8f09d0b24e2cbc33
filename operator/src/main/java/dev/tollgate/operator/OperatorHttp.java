package dev.tollgate.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The operator's own endpoints: {@code /healthz} (the process is up), {@code /readyz} (every informer is healthy),
 * {@code /metrics} (Prometheus text: the operator's registry, {@link TollgateOperator#metrics()}).
 */
public final class OperatorHttp implements AutoCloseable {

    private final HttpServer server;

    private OperatorHttp(HttpServer server) {
        this.server = server;
    }

    /** Serves on {@code port} (0 = a free port) until closed. */
    public static OperatorHttp start(TollgateOperator operator, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(port), 0);
        http.createContext("/healthz", x -> respond(x, 200, "text/plain; charset=utf-8", "ok"));
        http.createContext("/readyz", x -> {
            boolean ok = operator.healthy();
            respond(x, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ready" : "event sources unhealthy");
        });
        http.createContext("/metrics", x -> respond(x, 200, "text/plain; version=0.0.4; charset=utf-8", operator.metrics().scrape()));
        http.start();
        return new OperatorHttp(http);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange x, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", contentType);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
