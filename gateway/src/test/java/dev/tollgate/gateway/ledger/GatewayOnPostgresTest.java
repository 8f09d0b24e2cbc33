package dev.tollgate.gateway.ledger;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.LedgerRows;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same gateway with its ledger on a real PostgreSQL: one row per request, with the exact cost it reported. */
class GatewayOnPostgresTest {

    @TempDir
    Path dir;

    @Test
    void requestsAreRecordedInPostgres() {
        DatabaseSettings pg = TestDatabases.fresh(Backend.POSTGRESQL, dir);
        String yaml = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  database: { url: "%s", username: postgres }
                  ledger: { flushInterval: 50ms }
                routes:
                  - model: m
                    backends: [{ name: mock, provider: mock, model: mock-1, pricing: { inputPerMillion: 3, outputPerMillion: 15 } }]
                keys:
                  - { name: pg-key, team: pg-team, key: sk-tg-postgres-key-1 }
                """.formatted(pg.url());
        try (Gateway gateway = TestGateways.start(yaml)) {
            assertThat(gateway.database().dialect()).isEqualTo(Dialect.POSTGRESQL);
            HttpResponse<String> r = new Http(gateway.port()).post("/v1/chat/completions", "sk-tg-postgres-key-1",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello postgres\"}]}");
            assertThat(r.statusCode()).isEqualTo(200);

            Map<String, Object> row = LedgerRows.byRequestId(gateway, r.headers().firstValue("x-request-id").orElseThrow());
            assertThat(row.get("key_name")).isEqualTo("pg-key");
            assertThat(row.get("team")).isEqualTo("pg-team");
            assertThat(row.get("backend")).isEqualTo("mock");
            BigDecimal cost = new BigDecimal(LedgerRows.asLong(row.get("cost_pico"))).movePointLeft(12);
            assertThat(cost).isPositive().isEqualByComparingTo(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()));
        }
    }
}
