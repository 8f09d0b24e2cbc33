package dev.tollgate.gateway.ledger;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.LoadClient;
import dev.tollgate.gateway.testing.ReadinessWatch;
import dev.tollgate.gateway.testing.RestartablePostgres;
import dev.tollgate.gateway.testing.SerialLanes;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real PostgreSQL that stops under traffic, or is not there when the gateway starts: the gateway stays ready and
 * serves, its ledger rows go to the spill file, and once the database answers every served request has exactly one
 * row, the spend buckets agree with the rows, and budgets count the outage's spend once.
 */
@ResourceLock(SerialLanes.MACHINE)
@ResourceLock(SerialLanes.SLOW_CLIENTS)
class DatabaseOutageTest {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    /**
     * A gateway on {@code pg} with a priced mock model and key {@code sk-tg-outage-key-0001} (team {@code outage-team}).
     * The queue is small: were batches still written one connection timeout at a time while the database is down,
     * it would fill within a second of load and requests would wait.
     */
    private Gateway gateway(RestartablePostgres pg) {
        return TestGateways.start("""
                gateway:
                  host: 127.0.0.1
                  port: 0
                  adminKey: sk-tg-outage-admin-1
                  database: { url: "%s", maxPoolSize: 4, timeout: 1s }
                  ledger: { flushInterval: 50ms, batchSize: 50, queueCapacity: 1000, spillDirectory: "%s" }
                routes:
                  - model: m
                    backends: [ { name: mock, provider: mock, model: m, pricing: { inputPerMillion: 3, outputPerMillion: 15 } } ]
                keys:
                  - { name: app, team: outage-team, key: sk-tg-outage-key-0001 }
                """.formatted(pg.jdbcUrl(), spillDirectory()));
    }

    @Test
    void postgresStoppedUnderLoadLeavesThePodReadyServingAndEveryRowArrivesOnceItReturns() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(dir.resolve("pgdata")).start();
             Gateway gateway = gateway(pg);
             ReadinessWatch readiness = new ReadinessWatch(gateway.port())) {
            LoadClient load = new LoadClient(gateway.port(), "sk-tg-outage-key-0001", 8);
            await().atMost(Duration.ofSeconds(30)).until(() -> load.served().size() >= 300);

            pg.stop(); // the database goes away mid-load
            await().atMost(Duration.ofSeconds(30)).until(() -> !gateway.database().isUp());
            int servedWhileDown = load.served().size();
            // three times the queue: the ledger takes rows while nothing can be written to the database
            await().atMost(Duration.ofSeconds(60)).until(() -> load.served().size() >= servedWhileDown + 3000);
            assertThat(spillPending(gateway)).isPositive();
            assertThat(new Http(gateway.port()).get("/health/readiness", null).body())
                    .contains("\"status\":\"ready\"").contains("\"database\":\"down\"");
            assertThat(gateway.metrics().scrape()).contains("tollgate_ledger_database_up 0.0");

            pg.start(); // and comes back
            int servedAfter = load.served().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.served().size() >= servedAfter + 300);
            load.close();

            Set<String> served = new HashSet<>(load.served());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(new HashSet<>(pg.column("SELECT request_id FROM ledger"))).isEqualTo(served));
            assertThat(pg.column("SELECT COUNT(*) FROM ledger")).containsExactly(String.valueOf(served.size()));
            assertThat(load.otherStatus()).isZero();
            assertSpendBucketsAgreeWithRows(pg);
            await().atMost(Duration.ofSeconds(10)).until(() -> spillPending(gateway) == 0);
            assertThat(gateway.metrics().scrape()).contains("tollgate_ledger_database_up 1.0");
            readiness.close();
            assertThat(readiness.probes()).isPositive();
            assertThat(readiness.notReady()).isEmpty();
        }
    }

    @Test
    void gatewayStartsWithoutItsDatabaseServesAndMigratesAndCatchesUpOnceItAnswers() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(dir.resolve("pgdata"));
             Gateway gateway = gateway(pg)) { // nothing listens on the database's port yet
            Http http = new Http(gateway.port());
            HttpResponse<String> ready = http.get("/health/readiness", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":\"down\"");

            List<String> served = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = http.post("/v1/chat/completions", "sk-tg-outage-key-0001", CHAT);
                assertThat(r.statusCode()).isEqualTo(200);
                served.add(r.headers().firstValue("x-request-id").orElseThrow());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> spillPending(gateway) == 20);
            HttpResponse<String> report = http.get("/admin/spend", "sk-tg-outage-admin-1");
            assertThat(report.statusCode()).isEqualTo(503);
            assertThat(report.body()).contains("ledger_unavailable");

            pg.start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(pg.column("SELECT request_id FROM ledger")).containsExactlyInAnyOrderElementsOf(served));
            assertThat(pg.column("SELECT MAX(version) FROM schema_version"))
                    .containsExactly(String.valueOf(LedgerSchema.latestVersion()));
            assertSpendBucketsAgreeWithRows(pg);
            assertThat(http.get("/health/readiness", null).body()).contains("\"database\":\"up\"");
        }
    }

    @Test
    void budgetCountsTheOutagesSpendOnceAfterItsRowsAreReplayed() throws Exception {
        // 8 prompt tokens at $1/M + 10 completion tokens at $2/M = $0.000028 per request; the cap admits four.
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream().usage(8, 10, 0);
             RestartablePostgres pg = new RestartablePostgres(dir.resolve("pgdata")).start();
             Gateway gateway = TestGateways.start("""
                     gateway:
                       host: 127.0.0.1
                       port: 0
                       database: { url: "%s", timeout: 1s }
                       ledger: { flushInterval: 100ms, spillDirectory: "%s" }
                     routes:
                       - model: m
                         backends:
                           - { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s,
                               pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                     keys:
                       - { name: capped, key: sk-tg-outage-capped-1, budget: { amountUsd: 0.0001, period: daily } }
                     """.formatted(pg.jdbcUrl(), spillDirectory(), upstream.baseUrl()))) {
            Http http = new Http(gateway.port());
            pg.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !gateway.database().isUp());
            for (int i = 0; i < 2; i++) {
                assertThat(http.post("/v1/chat/completions", "sk-tg-outage-capped-1", CHAT).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> spillPending(gateway) == 2);

            pg.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> replayed(gateway) == 2);

            int servedAfter = 0;
            HttpResponse<String> r;
            while ((r = http.post("/v1/chat/completions", "sk-tg-outage-capped-1", CHAT)).statusCode() == 200) {
                servedAfter++;
                // once its row is written the pod re-reads the totals, which hold the replayed rows by then
                int rows = 2 + servedAfter;
                await().atMost(Duration.ofSeconds(10)).until(() -> pg.column("SELECT COUNT(*) FROM ledger").equals(List.of(String.valueOf(rows))));
            }
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("budget_exceeded").contains("$0.000112");
            assertThat(servedAfter).isEqualTo(2);
        }
    }

    private String spillDirectory() {
        return dir.resolve("spill").toString().replace('\\', '/');
    }

    /** Per key and per team, the buckets hold the cost and client requests of the rows, each counted once. */
    private static void assertSpendBucketsAgreeWithRows(RestartablePostgres pg) throws Exception {
        assertThat(pg.column("""
                SELECT subject_kind || ' ' || subject || ' ' || SUM(cost_pico) || ' ' || SUM(requests)
                FROM spend_buckets GROUP BY subject_kind, subject ORDER BY 1"""))
                .isEqualTo(pg.column("""
                        SELECT * FROM (
                            SELECT 'key ' || key_name || ' ' || SUM(cost_pico) || ' ' || COUNT(*) FILTER (WHERE parent_request_id IS NULL)
                            FROM ledger GROUP BY key_name
                            UNION ALL
                            SELECT 'team ' || team || ' ' || SUM(cost_pico) || ' ' || COUNT(*) FILTER (WHERE parent_request_id IS NULL)
                            FROM ledger WHERE team IS NOT NULL GROUP BY team) totals
                        ORDER BY 1"""))
                .isNotEmpty();
    }

    private static double spillPending(Gateway gateway) {
        return gateway.metrics().registry().get("tollgate.ledger.spill.pending").gauge().value();
    }

    private static double replayed(Gateway gateway) {
        return gateway.metrics().registry().get("tollgate.ledger.replayed").counter().count();
    }
}
