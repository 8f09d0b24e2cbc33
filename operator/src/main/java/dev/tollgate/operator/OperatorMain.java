package dev.tollgate.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the operator against the current kubeconfig or, in a pod, the in-cluster config. Environment:
 * {@code TOLLGATE_WATCH_NAMESPACES} (comma-separated, empty = all), {@code TOLLGATE_SPEND_INTERVAL} (default 15s),
 * {@code TOLLGATE_LEADER_ELECTION_NAMESPACE} (set to enable leader election), {@code TOLLGATE_HTTP_PORT} (default 8080:
 * {@code /healthz}, {@code /readyz}, {@code /metrics}).
 */
public final class OperatorMain {

    private OperatorMain() {
    }

    public static void main(String[] args) throws IOException {
        Set<String> namespaces = Arrays.stream(env("TOLLGATE_WATCH_NAMESPACES", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        Duration interval = dev.tollgate.api.config.Durations.parse(env("TOLLGATE_SPEND_INTERVAL", "15s"));
        String lease = System.getenv("TOLLGATE_LEADER_ELECTION_NAMESPACE");
        int port = Integer.parseInt(env("TOLLGATE_HTTP_PORT", "8080"));
        OperatorSettings settings = new OperatorSettings(namespaces, interval, lease == null || lease.isBlank() ? null : lease, port);
        KubernetesClient client = new KubernetesClientBuilder().build();
        TollgateOperator operator = new TollgateOperator().start(client, settings);
        HttpServer http = HttpServer.create(new InetSocketAddress(port), 0);
        http.createContext("/healthz", x -> respond(x, 200, "ok"));
        http.createContext("/readyz", x -> {
            boolean ok = operator.operator() != null && operator.operator().getRuntimeInfo().allEventSourcesAreHealthy();
            respond(x, ok ? 200 : 503, ok ? "ready" : "event sources unhealthy");
        });
        http.createContext("/metrics", x -> {
            boolean ok = operator.operator() != null && operator.operator().getRuntimeInfo().allEventSourcesAreHealthy();
            respond(x, 200, "# TYPE tollgate_operator_healthy gauge\ntollgate_operator_healthy " + (ok ? 1 : 0) + "\n");
        });
        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            operator.stop();
            client.close();
        }));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
