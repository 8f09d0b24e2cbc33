package dev.tollgate.gateway.routing;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.TestGateways;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A real gateway for routing tests: YAML in, plain HTTP calls, ledger rows out. */
final class RoutingHarness implements AutoCloseable {

    static final String KEY = "sk-tg-routing-test-key";

    /** One ledger row, the columns routing tests look at. */
    record Row(String requestId, String parentRequestId, String backend, int status, String errorType, long promptTokens,
               long completionTokens, long costPico, boolean estimated) {
    }

    final Gateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    RoutingHarness(Path dir, String routesYaml) {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + routesYaml + """
                keys:
                  - { name: app, key: %s }
                """.formatted(KEY));
    }

    HttpResponse<String> chat(String model, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    List<Row> ledger() {
        try {
            gateway.ledger().flush();
            List<Row> rows = new ArrayList<>();
            try (Connection c = gateway.database().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT request_id, parent_request_id, backend, status, error_type, prompt_tokens, "
                         + "completion_tokens, cost_pico, estimated FROM ledger ORDER BY started_at")) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getLong(6),
                            rs.getLong(7), rs.getLong(8), rs.getInt(9) != 0));
                }
            }
            return rows;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String metrics() {
        return gateway.metrics().scrape();
    }

    @Override
    public void close() {
        http.close(); // first: the gateway's stop would wait for the idle keep-alive connection (Jetty's 1 s shutdown idle timeout)
        gateway.close();
    }
}
