package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Spend totals for the admin only; metrics count requests by names, never by key material. */
class AdminAndMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "sk-tg-alice-key-000001";
    private static final String BOB = "sk-tg-bob-key-00000002";
    private static final String ADMIN = "sk-tg-admin-test-key";

    @TempDir
    Path dir;
    Gateway gateway;
    Http http;

    @BeforeEach
    void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: chat
                    backends:
                      - name: mock-chat
                        provider: mock
                        model: mock-1
                        pricing: { inputPerMillion: 1, outputPerMillion: 2 }
                teams: [{ name: red }, { name: blue }]
                keys:
                  - { name: alice, team: red, key: %s }
                  - { name: bob, team: blue, key: %s }
                """.formatted(ALICE, BOB));
        http = new Http(gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private BigDecimal call(String key) {
        HttpResponse<String> r = http.post("/v1/chat/completions", key, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + key + "\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        return new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow());
    }

    @Test
    void spendIsGroupedByKeyTeamAndModel() throws Exception {
        BigDecimal alice = call(ALICE).add(call(ALICE));
        BigDecimal bob = call(BOB);
        gateway.ledger().flush();

        JsonNode byKey = JSON.readTree(http.get("/admin/spend?groupBy=key", ADMIN).body());
        assertThat(costOf(byKey, "alice")).isEqualByComparingTo(alice);
        assertThat(costOf(byKey, "bob")).isEqualByComparingTo(bob);
        assertThat(requestsOf(byKey, "alice")).isEqualTo(2);
        assertThat(new BigDecimal(byKey.get("total_cost_usd").asText())).isEqualByComparingTo(alice.add(bob));

        JsonNode byTeam = JSON.readTree(http.get("/admin/spend?groupBy=team", ADMIN).body());
        assertThat(costOf(byTeam, "red")).isEqualByComparingTo(alice);

        JsonNode byModel = JSON.readTree(http.get("/admin/spend?groupBy=model&from=2000-01-01", ADMIN).body());
        assertThat(costOf(byModel, "chat")).isEqualByComparingTo(alice.add(bob));

        JsonNode empty = JSON.readTree(http.get("/admin/spend?groupBy=key&from=2000-01-01&to=2000-02-01", ADMIN).body());
        assertThat(empty.get("data")).isEmpty();
    }

    @Test
    void adminEndpointsRefuseOthers() {
        assertThat(http.get("/admin/spend", null).statusCode()).isEqualTo(401);
        assertThat(http.get("/admin/spend", "sk-tg-wrong-admin-key").statusCode()).isEqualTo(401);
        assertThat(http.get("/admin/spend", ALICE).statusCode()).isEqualTo(403);
        assertThat(http.get("/admin/spend?groupBy=colour", ADMIN).statusCode()).isEqualTo(400);
    }

    @Test
    void metricsCountRequestsWithoutKeyMaterial() {
        call(ALICE);
        http.post("/v1/chat/completions", ALICE, "{\"model\":\"no-such-model-" + System.nanoTime() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        String metrics = http.get("/metrics", null).body();

        assertThat(metrics).contains("tollgate_requests_total{backend=\"mock-chat\",key=\"alice\",model=\"chat\",provider=\"mock\",status=\"200\",team=\"red\"} 1.0");
        assertThat(metrics).contains("tollgate_tokens_total").contains("tollgate_spend_usd_total").contains("tollgate_request_duration_seconds_bucket")
                .contains("tollgate_ledger_queue_depth");
        assertThat(metrics).doesNotContain(ALICE).doesNotContain(KeyHashes.hash(ALICE).substring(7, 30)).doesNotContain("no-such-model");
    }

    private static BigDecimal costOf(JsonNode report, String group) {
        for (JsonNode row : report.get("data")) {
            if (group.equals(row.get(report.get("group_by").get(0).asText()).asText())) {
                return new BigDecimal(row.get("cost_usd").asText());
            }
        }
        throw new AssertionError(group + " missing in " + report);
    }

    private static long requestsOf(JsonNode report, String group) {
        for (JsonNode row : report.get("data")) {
            if (group.equals(row.get(report.get("group_by").get(0).asText()).asText())) {
                return row.get("requests").asLong();
            }
        }
        throw new AssertionError(group + " missing");
    }
}
