package dev.tollgate.operator;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.crd.BudgetStatus;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.usage.Usage;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.Labels;
import dev.tollgate.operator.spend.BudgetStatusAggregator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

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
 * Spend from a real PostgreSQL ledger into VirtualKey and TeamBudget status, through the operator's spend event
 * sources and its reconcilers (the only status writers). Each test uses its own namespace and ledger names, so the
 * tests run side by side; the one that moves the shared clock runs alone (it would refresh the others' spendAsOf).
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Execution(ExecutionMode.CONCURRENT)
class SpendStatusTest {

    /** Held to read by every test, and to write by the one that advances {@link #clock}. */
    static final String CLOCK = "SpendStatusTest.clock";

    static final Instant NOW = Instant.parse("2026-03-18T12:00:00Z");
    static final long USD = 1_000_000_000_000L;
    static final Duration INTERVAL = Duration.ofMillis(200);

    static KubernetesClient client;
    static String ledgerUrl;
    static LedgerDatabase ledger;
    static final MutableClock clock = new MutableClock(NOW);
    static TollgateOperator operator;

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrds(client);
        ledgerUrl = SharedPostgres.newDatabase();
        // The gateway's own schema and writer: ledger rows and their spend_buckets.
        ledger = new LedgerDatabase(new DatabaseSettings(jdbcUrl(), "postgres", null, 2));
        operator = new TollgateOperator(clock).start(client, new OperatorSettings(Set.of(), INTERVAL, null, -1));
    }

    @AfterAll
    static void stop() throws Exception {
        operator.stop();
        ledger.close();
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

    /** Namespace {@code ns} with gateway {@code gw} whose database Secret {@code ledger-db} points at {@code url}. */
    private static void gatewayWithDatabase(String ns, String url) {
        MockCluster.namespace(client, ns, Map.of());
        databaseSecret(ns, url);
        client.resource(MockCluster.gatewayWithLedger(ns, "gw", "ledger-db")).create();
    }

    private static void databaseSecret(String ns, String url) {
        client.resource(MockCluster.secret(ns, "ledger-db", Map.of("url", url, "username", "postgres"))).createOr(c -> c.update());
    }

    /** Budget-threshold Events in {@code ns} (a VirtualKey also has its key lifecycle Events, e.g. KeyIssued). */
    private static List<Event> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "BudgetThresholdReached".equals(e.getReason())).toList();
    }

    private static VirtualKey key(String ns, String name) {
        return client.resources(VirtualKey.class).inNamespace(ns).withName(name).get();
    }

    private static TeamBudget team(String ns, String name) {
        return client.resources(TeamBudget.class).inNamespace(ns).withName(name).get();
    }

    private static Condition condition(BudgetStatus status, String type) {
        return status == null ? null : Conditions.find(status.conditions, type);
    }

    private static <S extends BudgetStatus> S awaitStatus(java.util.concurrent.Callable<S> status, Predicate<S> until) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            S s = status.call();
            return s != null && until.test(s);
        });
        return status.call();
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void keySpendThisPeriodReachesStatusAndCrossingABudgetSetsBudgetExceeded() throws Exception {
        gatewayWithDatabase("s1", jdbcUrl());
        spend("s1/app", null, 2 * USD, Instant.parse("2026-03-02T00:00:00Z"));
        spend("s1/app", null, USD / 2, Instant.parse("2026-03-18T11:00:00Z"));
        spend("s1/app", null, 100 * USD, Instant.parse("2026-02-27T00:00:00Z")); // last period
        spend("s1/other", null, 7 * USD, Instant.parse("2026-03-10T00:00:00Z"));
        client.resource(MockCluster.virtualKey("s1", "app", "s1", "gw")).create(); // $5 monthly

        var status = awaitStatus(() -> key("s1", "app").getStatus(), s -> "2.5000".equals(s.spendUsd));

        assertThat(status.remainingUsd).isEqualTo("2.5000");
        assertThat(status.percentUsed).isEqualTo(50);
        assertThat(status.resetAt).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(status.lastUsedAt).isEqualTo("2026-03-18T11:00:00Z");
        assertThat(status.spendAsOf).isNotNull();
        assertThat(condition(status, Conditions.BUDGET_EXCEEDED).getStatus()).isEqualTo("False");
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getStatus()).isEqualTo("True");
        // the reconciler's own verdict and the spend arrive in the same status
        assertThat(Conditions.isTrue(status, Conditions.READY)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> events("s1").size() == 1);
        assertThat(events("s1")).extracting(Event::getMessage).singleElement().asString().contains("50%");

        spend("s1/app", null, 3 * USD, Instant.parse("2026-03-18T11:30:00Z"));

        status = awaitStatus(() -> key("s1", "app").getStatus(), s -> Integer.valueOf(110).equals(s.percentUsed));
        assertThat(status.remainingUsd).isEqualTo("0.0000");
        assertThat(condition(status, Conditions.BUDGET_EXCEEDED).getStatus()).isEqualTo("True");
        await().atMost(Duration.ofSeconds(5)).until(() -> events("s1").size() == 3);
        assertThat(events("s1")).extracting(Event::getMessage).anyMatch(m -> m.contains("80%")).anyMatch(m -> m.contains("100%"));
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void unchangedSpendPatchesNothingAndAlertsOncePerPeriod() throws Exception {
        gatewayWithDatabase("s2", jdbcUrl());
        client.resource(MockCluster.virtualKey("s2", "app", "s2", "gw")).create();
        spend("s2/app", null, 4 * USD, Instant.parse("2026-03-05T00:00:00Z"));
        awaitStatus(() -> key("s2", "app").getStatus(), s -> "4.0000".equals(s.spendUsd));
        await().atMost(Duration.ofSeconds(5)).until(() -> events("s2").size() == 2); // 50 % and 80 %
        String rv = key("s2", "app").getMetadata().getResourceVersion();

        // ten polls that read the same spend
        await().during(INTERVAL.multipliedBy(10)).atMost(INTERVAL.multipliedBy(20))
                .until(() -> rv.equals(key("s2", "app").getMetadata().getResourceVersion()) && events("s2").size() == 2);
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void teamBudgetSumsTheTeamsSpendAndAlertsAtItsOwnThresholds() throws Exception {
        gatewayWithDatabase("s3", jdbcUrl());
        TeamBudget tb = MockCluster.teamBudget("s3", "budget", "s3", "gw", "10");
        tb.getSpec().alertThresholds = List.of(90);
        tb.getSpec().period = "daily";
        spend("s3/a", "s3/budget", 6 * USD, Instant.parse("2026-03-18T01:00:00Z"));
        spend("s3/b", "s3/budget", 3 * USD + USD / 10, Instant.parse("2026-03-18T02:00:00Z"));
        spend("s3/b", "s3/budget", 50 * USD, Instant.parse("2026-03-17T23:59:59Z")); // yesterday
        client.resource(tb).create();

        var status = awaitStatus(() -> team("s3", "budget").getStatus(), s -> "9.1000".equals(s.spendUsd));

        assertThat(status.percentUsed).isEqualTo(91);
        assertThat(status.resetAt).isEqualTo("2026-03-19T00:00:00Z");
        assertThat(status.alertedThresholds).containsExactly(90);
        assertThat(Conditions.isTrue(status, Conditions.ACCEPTED)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> events("s3").size() == 1);
        assertThat(events("s3")).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("TeamBudget");
            assertThat(e.getReason()).isEqualTo("BudgetThresholdReached");
        });
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void budgetGaugesFollowSpendAndDisappearWithTheResource() throws Exception {
        gatewayWithDatabase("s4", jdbcUrl());
        client.resource(MockCluster.virtualKey("s4", "app", "s4", "gw")).create(); // $5 monthly
        client.resource(MockCluster.teamBudget("s4", "team", "s4", "gw", "20")).create();
        spend("s4/app", "s4/team", 4 * USD, Instant.parse("2026-03-05T00:00:00Z"));

        await().atMost(Duration.ofSeconds(20)).until(() -> operator.metrics().scrape()
                .contains("tollgate_budget_used_ratio{kind=\"VirtualKey\",period=\"monthly\",resource_name=\"app\",resource_namespace=\"s4\"} 0.8")
                && operator.metrics().scrape()
                .contains("tollgate_budget_used_ratio{kind=\"TeamBudget\",period=\"monthly\",resource_name=\"team\",resource_namespace=\"s4\"} 0.2"));

        client.resources(VirtualKey.class).inNamespace("s4").withName("app").delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> !operator.metrics().scrape().contains("resource_name=\"app\",resource_namespace=\"s4\""));
        assertThat(operator.metrics().scrape()).contains("resource_name=\"team\",resource_namespace=\"s4\"");
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void anUnreachableLedgerKeepsTheFiguresSaysSinceWhenAndIsReadAgainOnceItAnswers() throws Exception {
        gatewayWithDatabase("s5", jdbcUrl());
        spend("s5/app", null, USD, Instant.parse("2026-03-05T00:00:00Z"));
        client.resource(MockCluster.virtualKey("s5", "app", "s5", "gw")).create();
        String asOf = awaitStatus(() -> key("s5", "app").getStatus(), s -> "1.0000".equals(s.spendUsd)).spendAsOf;

        databaseSecret("s5", "jdbc:postgresql://localhost:1/postgres"); // nothing listens on port 1

        var status = awaitStatus(() -> key("s5", "app").getStatus(), s -> condition(s, BudgetStatusAggregator.LEDGER_REACHABLE) != null
                && "False".equals(condition(s, BudgetStatusAggregator.LEDGER_REACHABLE).getStatus()));
        Condition unreachable = condition(status, BudgetStatusAggregator.LEDGER_REACHABLE);
        assertThat(unreachable.getReason()).isEqualTo("LedgerUnreachable");
        assertThat(unreachable.getMessage()).contains("since").contains("as of " + asOf);
        assertThat(status.spendUsd).isEqualTo("1.0000");
        assertThat(status.spendAsOf).isEqualTo(asOf);
        assertThat(operator.metrics().scrape()).containsPattern("tollgate_spend_reads_total\\{gateway=\"gw\",gateway_namespace=\"s5\",result=\"failed\"} [1-9]");

        spend("s5/app", null, USD, Instant.parse("2026-03-06T00:00:00Z"));
        databaseSecret("s5", jdbcUrl());

        status = awaitStatus(() -> key("s5", "app").getStatus(), s -> "2.0000".equals(s.spendUsd));
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getStatus()).isEqualTo("True");
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void aMissingDatabaseSecretIsReportedAndSpendFollowsOnceItExists() throws Exception {
        MockCluster.namespace(client, "s6", Map.of());
        client.resource(MockCluster.gatewayWithLedger("s6", "gw", "ledger-db")).create();
        spend("s6/app", null, 3 * USD, Instant.parse("2026-03-05T00:00:00Z"));
        client.resource(MockCluster.virtualKey("s6", "app", "s6", "gw")).create();

        var status = awaitStatus(() -> key("s6", "app").getStatus(), s -> condition(s, BudgetStatusAggregator.LEDGER_REACHABLE) != null);
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getReason()).isEqualTo("DatabaseSecretNotFound");
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getMessage()).contains("s6/ledger-db").contains("not read yet");

        databaseSecret("s6", jdbcUrl());

        status = awaitStatus(() -> key("s6", "app").getStatus(), s -> "3.0000".equals(s.spendUsd));
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getStatus()).isEqualTo("True");
    }

    @Test
    @ResourceLock(value = CLOCK, mode = ResourceAccessMode.READ)
    void aDatabaseSecretWithoutTheWatchedLabelIsReportedAndSpendFollowsOnceLabelled() throws Exception {
        MockCluster.namespace(client, "s8", Map.of());
        client.resource(MockCluster.unlabelledSecret("s8", "ledger-db", Map.of("url", jdbcUrl(), "username", "postgres"))).create();
        client.resource(MockCluster.gatewayWithLedger("s8", "gw", "ledger-db")).create();
        spend("s8/app", null, 4 * USD, Instant.parse("2026-03-05T00:00:00Z"));
        client.resource(MockCluster.virtualKey("s8", "app", "s8", "gw")).create();

        var status = awaitStatus(() -> key("s8", "app").getStatus(), s -> condition(s, BudgetStatusAggregator.LEDGER_REACHABLE) != null);
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getReason()).isEqualTo("DatabaseSecretNotLabelled");
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getMessage())
                .contains("s8/ledger-db is not labelled tollgate.dev/watched=true");

        MockCluster.edit(client.secrets().inNamespace("s8").withName("ledger-db"), sec -> {
            sec.getMetadata().getLabels().put(Labels.WATCH, "true");
            return sec;
        });

        status = awaitStatus(() -> key("s8", "app").getStatus(), s -> "4.0000".equals(s.spendUsd));
        assertThat(condition(status, BudgetStatusAggregator.LEDGER_REACHABLE).getStatus()).isEqualTo("True");
    }

    @Test
    @ResourceLock(CLOCK)
    void spendAsOfMovesOnlyWhenSpendChangesOrFiveMinutesHavePassed() throws Exception {
        gatewayWithDatabase("s7", jdbcUrl());
        client.resource(MockCluster.virtualKey("s7", "app", "s7", "gw")).create();
        spend("s7/app", null, USD, Instant.parse("2026-03-05T00:00:00Z"));
        var first = awaitStatus(() -> key("s7", "app").getStatus(), s -> "1.0000".equals(s.spendUsd));
        String rv = key("s7", "app").getMetadata().getResourceVersion();

        clock.advance(Duration.ofMinutes(4));
        await().during(INTERVAL.multipliedBy(5)).atMost(INTERVAL.multipliedBy(10))
                .until(() -> rv.equals(key("s7", "app").getMetadata().getResourceVersion()));

        clock.advance(Duration.ofMinutes(2));
        var refreshed = awaitStatus(() -> key("s7", "app").getStatus(), s -> !first.spendAsOf.equals(s.spendAsOf));

        assertThat(Instant.parse(refreshed.spendAsOf)).isAfterOrEqualTo(Instant.parse(first.spendAsOf).plus(Duration.ofMinutes(6)));
        assertThat(refreshed.spendUsd).isEqualTo("1.0000");
    }
}
