package dev.tollgate.operator;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.spend.BudgetGauges;
import dev.tollgate.operator.spend.SpendPoller;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spend from a real PostgreSQL ledger into VirtualKey and TeamBudget status. */
@EnableKubernetesMockClient(crud = true)
class SpendPollerTest {

    static KubernetesClient client;
    static EmbeddedPostgres postgres;
    static LedgerDatabase ledger;
    static final Instant NOW = Instant.parse("2026-03-18T12:00:00Z");
    static final long USD = 1_000_000_000_000L;

    SpendPoller poller;

    @BeforeAll
    static void startDatabase() throws Exception {
        MockCluster.installCrds(client);
        postgres = EmbeddedPostgres.builder().start();
        // The gateway's own schema and writer: ledger rows and their spend_buckets.
        ledger = new LedgerDatabase(new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, 2));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        ledger.close();
        postgres.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("DELETE FROM ledger");
            c.createStatement().execute("DELETE FROM spend_buckets");
        }
        poller = new SpendPoller(client, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void spend(String key, String team, long pico, Instant at) throws Exception {
        new LedgerStore(ledger).insertBatch(List.of(new LedgerEntry(UUID.randomUUID().toString(), null, "chat", at, null, at,
                key, team, "m", "b", "p", "m", 1, 1, 0, 0, BigDecimal.valueOf(pico, 12), 200, null, false, false)));
    }

    private static void gatewayWithDatabase(String ns) {
        MockCluster.namespace(client, ns, Map.of());
        client.resource(MockCluster.secret(ns, "ledger-db", Map.of("url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                "username", "postgres"))).create();
        LLMGateway gw = MockCluster.gateway(ns, "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().database = new LLMGatewaySpec.Database();
        gw.getSpec().database.secretName = "ledger-db";
        client.resource(gw).create();
    }

    private static List<Event> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems();
    }

    @Test
    void keySpendThisPeriodReachesStatusAndCrossingABudgetSetsBudgetExceeded() throws Exception {
        gatewayWithDatabase("s1");
        client.resource(MockCluster.virtualKey("s1", "app", "s1", "gw")).create(); // $5 monthly
        spend("s1/app", null, 2 * USD, Instant.parse("2026-03-02T00:00:00Z"));
        spend("s1/app", null, USD / 2, Instant.parse("2026-03-18T11:00:00Z"));
        spend("s1/app", null, 100 * USD, Instant.parse("2026-02-27T00:00:00Z")); // last period
        spend("s1/other", null, 7 * USD, Instant.parse("2026-03-10T00:00:00Z"));

        poller.pollOnce();

        var status = client.resources(VirtualKey.class).inNamespace("s1").withName("app").get().getStatus();
        assertThat(status.spendUsd).isEqualTo("2.5000");
        assertThat(status.remainingUsd).isEqualTo("2.5000");
        assertThat(status.percentUsed).isEqualTo(50);
        assertThat(status.resetAt).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(status.lastUsedAt).isEqualTo("2026-03-18T11:00:00Z");
        assertThat(Conditions.find(status.conditions, Conditions.BUDGET_EXCEEDED).getStatus()).isEqualTo("False");
        assertThat(events("s1")).extracting(Event::getMessage).singleElement().asString().contains("50%");

        spend("s1/app", null, 3 * USD, Instant.parse("2026-03-18T11:30:00Z"));
        poller.pollOnce();

        status = client.resources(VirtualKey.class).inNamespace("s1").withName("app").get().getStatus();
        assertThat(status.percentUsed).isEqualTo(110);
        assertThat(status.remainingUsd).isEqualTo("0.0000");
        assertThat(Conditions.find(status.conditions, Conditions.BUDGET_EXCEEDED).getStatus()).isEqualTo("True");
        assertThat(events("s1")).extracting(Event::getMessage).hasSize(3).anyMatch(m -> m.contains("80%")).anyMatch(m -> m.contains("100%"));
    }

    @Test
    void unchangedSpendPatchesNothingAndAlertsOncePerPeriod() throws Exception {
        gatewayWithDatabase("s2");
        client.resource(MockCluster.virtualKey("s2", "app", "s2", "gw")).create();
        spend("s2/app", null, 4 * USD, Instant.parse("2026-03-05T00:00:00Z"));
        poller.pollOnce();
        String rv = client.resources(VirtualKey.class).inNamespace("s2").withName("app").get().getMetadata().getResourceVersion();
        int events = events("s2").size();

        poller.pollOnce();
        poller.pollOnce();

        assertThat(client.resources(VirtualKey.class).inNamespace("s2").withName("app").get().getMetadata().getResourceVersion()).isEqualTo(rv);
        assertThat(events("s2")).hasSize(events).hasSize(2);
    }

    @Test
    void teamBudgetSumsTheTeamsSpendAndAlertsAtItsOwnThresholds() throws Exception {
        gatewayWithDatabase("s3");
        TeamBudget tb = MockCluster.teamBudget("s3", "budget", "s3", "gw", "10");
        tb.getSpec().alertThresholds = List.of(90);
        tb.getSpec().period = "daily";
        client.resource(tb).create();
        spend("s3/a", "s3/budget", 6 * USD, Instant.parse("2026-03-18T01:00:00Z"));
        spend("s3/b", "s3/budget", 3 * USD + USD / 10, Instant.parse("2026-03-18T02:00:00Z"));
        spend("s3/b", "s3/budget", 50 * USD, Instant.parse("2026-03-17T23:59:59Z")); // yesterday

        poller.pollOnce();

        var status = client.resources(TeamBudget.class).inNamespace("s3").withName("budget").get().getStatus();
        assertThat(status.spendUsd).isEqualTo("9.1000");
        assertThat(status.percentUsed).isEqualTo(91);
        assertThat(status.resetAt).isEqualTo("2026-03-19T00:00:00Z");
        assertThat(status.alertedThresholds).containsExactly(90);
        assertThat(events("s3")).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("TeamBudget");
            assertThat(e.getReason()).isEqualTo("BudgetThresholdReached");
        });
    }

    @Test
    void budgetGaugesFollowSpendAndDisappearWithTheResource() throws Exception {
        gatewayWithDatabase("s4");
        client.resource(MockCluster.virtualKey("s4", "app", "s4", "gw")).create(); // $5 monthly
        client.resource(MockCluster.teamBudget("s4", "team", "s4", "gw", "20")).create();
        spend("s4/app", "s4/team", 4 * USD, Instant.parse("2026-03-05T00:00:00Z"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpendPoller withGauges = new SpendPoller(client, Clock.fixed(NOW, ZoneOffset.UTC), new BudgetGauges(registry));

        withGauges.pollOnce();

        assertThat(registry.scrape())
                .contains("tollgate_budget_used_ratio{kind=\"VirtualKey\",period=\"monthly\",resource_name=\"app\",resource_namespace=\"s4\"} 0.8")
                .contains("tollgate_budget_used_ratio{kind=\"TeamBudget\",period=\"monthly\",resource_name=\"team\",resource_namespace=\"s4\"} 0.2");

        client.resources(VirtualKey.class).inNamespace("s4").withName("app").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.resources(VirtualKey.class).inNamespace("s4").withName("app").get() == null);
        withGauges.pollOnce();

        assertThat(registry.scrape()).doesNotContain("resource_name=\"app\",resource_namespace=\"s4\"")
                .contains("resource_name=\"team\",resource_namespace=\"s4\"");
        withGauges.close();
    }
}
