package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.crd.BudgetAlertsSpec;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.TeamBudgetStatus;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.api.crd.VirtualKeyStatus;
import dev.tollgate.api.crd.WebhookSpec;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.testing.WebhookReceiver;
import dev.tollgate.gateway.usage.Usage;
import dev.tollgate.operator.alerts.BudgetAlerts;
import dev.tollgate.operator.cluster.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TeamBudget and VirtualKey alert webhooks sent by the operator from the spend it reads in a real PostgreSQL ledger (Fabric8 mock API
 * server in CRUD mode, CRDs installed): one POST per crossed threshold and webhook, recorded in status, nothing sent
 * again by a restarted operator, and a receiver that fails is retried until it answers. Each test uses its own namespace
 * and webhook receiver, so the tests run side by side; the one that restarts the operator runs alone.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Execution(ExecutionMode.CONCURRENT)
class OperatorBudgetAlertsTest {

    /** Held to read by every test, and to write by the one that restarts {@link #operator}. */
    static final String OPERATOR = "OperatorBudgetAlertsTest.operator";

    static final Instant NOW = Instant.parse("2026-03-18T12:00:00Z");
    static final long USD = 1_000_000_000_000L;
    static final Duration INTERVAL = Duration.ofMillis(200);
    static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesClient client;
    static String ledgerUrl;
    static LedgerDatabase ledger;
    static final MutableClock clock = new MutableClock(NOW);
    static TollgateOperator operator;
    final WebhookReceiver receiver = new WebhookReceiver();

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrds(client);
        ledgerUrl = SharedPostgres.newDatabase();
        ledger = new LedgerDatabase(new DatabaseSettings(jdbcUrl(), "postgres", null, 2));
        operator = startOperator();
    }

    private static TollgateOperator startOperator() {
        return new TollgateOperator(clock).start(client, new OperatorSettings(Set.of(), INTERVAL, null, -1));
    }

    @AfterAll
    static void stop() throws Exception {
        operator.stop();
        ledger.close();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private static String jdbcUrl() {
        return ledgerUrl;
    }

    private static void spend(String key, String team, long pico, Instant at) throws Exception {
        new LedgerStore(ledger).insertBatch(List.of(new LedgerEntry(UUID.randomUUID().toString(), null, new LedgerEntry.Who(key, team),
                new LedgerEntry.What("chat", "m", "b", "p", "m", false),
                new LedgerEntry.Timing(at, null, at), new Usage(1, 1, 0, 0, false),
                BigDecimal.valueOf(pico, 12), new LedgerEntry.Outcome(200, null), null)));
    }

    private static void gatewayWithDatabase(String ns) {
        MockCluster.namespace(client, ns, Map.of());
        client.resource(MockCluster.secret(ns, "ledger-db", Map.of("url", jdbcUrl(), "username", "postgres"))).create();
        client.resource(MockCluster.gatewayWithLedger(ns, "gw", "ledger-db")).create();
    }

    /** A $10 daily TeamBudget alerting at 50 and 100 %, with the given webhooks. */
    private static TeamBudget teamBudget(String ns, WebhookSpec... webhooks) {
        TeamBudget tb = MockCluster.teamBudget(ns, "budget", ns, "gw", "10");
        tb.getSpec().period = "daily";
        tb.getSpec().alertThresholds = List.of(50, 100);
        tb.getSpec().alerts = new BudgetAlertsSpec();
        tb.getSpec().alerts.webhooks = List.of(webhooks);
        return tb;
    }

    private static WebhookSpec webhook(String name, String url, String format, List<Integer> thresholds) {
        WebhookSpec w = new WebhookSpec();
        w.name = name;
        w.url = url;
        w.format = format;
        w.thresholds = thresholds;
        return w;
    }

    private static TeamBudgetStatus status(String ns) {
        TeamBudget tb = client.resources(TeamBudget.class).inNamespace(ns).withName("budget").get();
        return tb == null ? null : tb.getStatus();
    }

    private static TeamBudgetStatus awaitStatus(String ns, Predicate<TeamBudgetStatus> until) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            TeamBudgetStatus s = status(ns);
            return s != null && until.test(s);
        });
        return status(ns);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @ResourceLock(OPERATOR)
    void eachCrossedThresholdIsDeliveredOnceRecordedInStatusAndNotResentAfterARestart() throws Exception {
        gatewayWithDatabase("al1");
        client.resource(MockCluster.secret("al1", "slack-hook", Map.of("url", receiver.url("/slack")))).create();
        WebhookSpec slack = webhook("chat", null, "slack", List.of(100));
        slack.urlSecretRef = CrdRefs.secretKeyRef("slack-hook", "url");
        client.resource(teamBudget("al1", webhook("ops", receiver.url("/json"), "json", null), slack)).create();

        spend("al1/a", "al1/budget", 6 * USD, Instant.parse("2026-03-18T01:00:00Z"));
        TeamBudgetStatus status = awaitStatus("al1", s -> s.alertDeliveries != null && s.alertDeliveries.size() == 1);
        assertThat(receiver.delivered("/json")).singleElement().satisfies(p -> {
            JsonNode body = read(p.body());
            assertThat(body.path("id").asText()).isEqualTo("team:al1/budget:50:2026-03-18T00:00:00Z").isEqualTo(p.idempotencyKey());
            assertThat(body.path("source").asText()).isEqualTo("operator");
            assertThat(body.path("scope").asText()).isEqualTo("team");
            assertThat(body.path("namespace").asText()).isEqualTo("al1");
            assertThat(body.path("name").asText()).isEqualTo("budget");
            assertThat(body.path("thresholdPercent").asInt()).isEqualTo(50);
            assertThat(body.path("percentUsed").asInt()).isEqualTo(60);
            assertThat(body.path("spentUsd").asText()).isEqualTo("6.00");
            assertThat(body.path("budgetUsd").asText()).isEqualTo("10");
            assertThat(body.path("periodEnd").asText()).isEqualTo("2026-03-19T00:00:00Z");
        });
        assertThat(receiver.delivered("/slack")).isEmpty();
        assertThat(status.alertDeliveries).singleElement().satisfies(d -> {
            assertThat(d.webhook).isEqualTo("ops");
            assertThat(d.threshold).isEqualTo(50);
            assertThat(d.resetAt).isEqualTo("2026-03-19T00:00:00Z");
        });
        assertThat(Conditions.isTrue(status, BudgetAlerts.ALERTS_DELIVERED)).isTrue();

        spend("al1/a", "al1/budget", 5 * USD, Instant.parse("2026-03-18T02:00:00Z"));
        status = awaitStatus("al1", s -> s.alertDeliveries != null && s.alertDeliveries.size() == 3);
        assertThat(status.alertDeliveries).extracting(d -> d.webhook + ":" + d.threshold).containsExactly("chat:100", "ops:50", "ops:100");
        assertThat(receiver.delivered("/json")).hasSize(2);
        assertThat(receiver.delivered("/slack")).singleElement().satisfies(p -> assertThat(read(p.body()).path("text").asText())
                .isEqualTo("Tollgate: team al1/budget reached 100% of its $10 daily budget (spent $11.00, resets 2026-03-19T00:00:00Z)"));

        // a new operator reads the same spend (and more), finds the deliveries in status and sends nothing again
        operator.stop();
        operator = startOperator();
        spend("al1/a", "al1/budget", USD, Instant.parse("2026-03-18T03:00:00Z"));
        status = awaitStatus("al1", s -> "12.0000".equals(s.spendUsd));
        assertThat(status.alertDeliveries).hasSize(3);
        assertThat(receiver.posts()).hasSize(3);
    }

    @Test
    @ResourceLock(value = OPERATOR, mode = ResourceAccessMode.READ)
    void aReceiverThatFailsIsRetriedUntilItAnswersAndTheFailureIsAConditionMeanwhile() throws Exception {
        gatewayWithDatabase("al2");
        receiver.failNext(2);
        client.resource(teamBudget("al2", webhook("ops", receiver.url("/json"), "json", List.of(50)))).create();
        spend("al2/a", "al2/budget", 7 * USD, Instant.parse("2026-03-18T01:00:00Z"));

        TeamBudgetStatus status = awaitStatus("al2", s -> s.alertDeliveries != null && s.alertDeliveries.size() == 1);
        assertThat(receiver.posts()).extracting(WebhookReceiver.Post::status).containsExactly(500, 500, 200);
        assertThat(receiver.posts()).extracting(WebhookReceiver.Post::idempotencyKey).containsOnly("team:al2/budget:50:2026-03-18T00:00:00Z");
        assertThat(Conditions.isTrue(status, BudgetAlerts.ALERTS_DELIVERED)).isTrue();
        assertThat(status.alertDeliveries).extracting(d -> d.threshold).containsExactly(50);
    }

    @Test
    @ResourceLock(value = OPERATOR, mode = ResourceAccessMode.READ)
    void aMissingUrlSecretIsAConditionNamingIt() throws Exception {
        gatewayWithDatabase("al3");
        WebhookSpec hook = webhook("chat", null, "slack", null);
        hook.urlSecretRef = CrdRefs.secretKeyRef("absent", "url");
        client.resource(teamBudget("al3", hook)).create();
        spend("al3/a", "al3/budget", 6 * USD, Instant.parse("2026-03-18T01:00:00Z"));

        TeamBudgetStatus status = awaitStatus("al3", s -> Conditions.find(s.conditions, BudgetAlerts.ALERTS_DELIVERED) != null);
        var condition = Conditions.find(status.conditions, BudgetAlerts.ALERTS_DELIVERED);
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("WebhookUrlUnresolved");
        assertThat(condition.getMessage()).contains("webhook chat").contains("Secret al3/absent not found");
        assertThat(status.alertDeliveries).isNullOrEmpty();
    }

    @Test
    @ResourceLock(value = OPERATOR, mode = ResourceAccessMode.READ)
    void aVirtualKeyBudgetAlertsItsWebhooksAtTheKeyThresholds() throws Exception {
        gatewayWithDatabase("al4");
        VirtualKey vk = MockCluster.virtualKey("al4", "app", "al4", "gw"); // $5 monthly: Events and alerts at 50/80/100 %
        vk.getSpec().budget.alerts = new BudgetAlertsSpec();
        vk.getSpec().budget.alerts.webhooks = List.of(webhook("ops", receiver.url("/json"), "json", List.of(80, 100)));
        client.resource(vk).create();
        spend("al4/app", null, 4 * USD + USD / 2, Instant.parse("2026-03-05T00:00:00Z"));

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            VirtualKeyStatus s = client.resources(VirtualKey.class).inNamespace("al4").withName("app").get().getStatus();
            return s != null && s.alertDeliveries != null && s.alertDeliveries.size() == 1;
        });
        VirtualKeyStatus status = client.resources(VirtualKey.class).inNamespace("al4").withName("app").get().getStatus();
        assertThat(status.alertedThresholds).containsExactly(50, 80);
        assertThat(status.alertDeliveries).singleElement().satisfies(d -> assertThat(d.threshold).isEqualTo(80));
        assertThat(receiver.delivered("/json")).singleElement().satisfies(p -> {
            JsonNode body = read(p.body());
            assertThat(body.path("id").asText()).isEqualTo("key:al4/app:80:2026-03-01T00:00:00Z");
            assertThat(body.path("scope").asText()).isEqualTo("key");
            assertThat(body.path("spentUsd").asText()).isEqualTo("4.50");
            assertThat(body.path("budgetUsd").asText()).isEqualTo("5");
        });
        assertThat(Conditions.isTrue(status, BudgetAlerts.ALERTS_DELIVERED)).isTrue();
    }
}
