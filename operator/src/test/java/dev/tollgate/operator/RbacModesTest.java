package dev.tollgate.operator;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.usage.Usage;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.spend.BudgetStatusAggregator;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator with exactly the permissions the chart gives it, in both of the chart's modes: an API server that
 * refuses (403) every request of the operator that the rendered RBAC does not grant, the samples of samples/k8s, and a
 * real PostgreSQL ledger (a database of the JVM's embedded PostgreSQL). Fully reconciled means: the gateway's config
 * Secret and StatefulSet, every status, the key Secrets, and spend in VirtualKey and TeamBudget status; with no request
 * refused on the way. Each test has its own API server and operator, so they run side by side.
 */
@Execution(ExecutionMode.CONCURRENT)
class RbacModesTest {

    static final String PLATFORM = "tollgate-system";
    static final String TEAM = "team-search";

    static String ledgerUrl;

    @BeforeAll
    static void fillLedger() throws Exception {
        ledgerUrl = SharedPostgres.newDatabase();
        try (LedgerDatabase ledger = new LedgerDatabase(new DatabaseSettings(jdbcUrl(), "postgres", null, 2))) {
            Instant at = Instant.now().minusSeconds(60);
            new LedgerStore(ledger).insertBatch(List.of(new LedgerEntry(UUID.randomUUID().toString(), null, new LedgerEntry.Who(TEAM + "/search-api", TEAM + "/search"),
                    new LedgerEntry.What("chat", "gpt-4o", "b", "openai", "gpt-4o", false),
                    new LedgerEntry.Timing(at, null, at), new Usage(10, 5, 0, 0, false),
                    new BigDecimal("0.25"), new LedgerEntry.Outcome(200, null), null)));
        }
    }

    private static String jdbcUrl() {
        return ledgerUrl;
    }

    @Test
    void withTheClusterRoleTheOperatorReconcilesEverythingAndIsRefusedNothing() throws Exception {
        reconcilesTheSamples(List.of());
    }

    @Test
    void withOnlyTheRolesOfItsWatchedNamespacesTheOperatorReconcilesEverythingAndIsRefusedNothing() throws Exception {
        reconcilesTheSamples(List.of(PLATFORM, TEAM));
    }

    private static void reconcilesTheSamples(List<String> watchNamespaces) throws Exception {
        try (RbacMockServer cluster = new RbacMockServer(ChartRbac.render(watchNamespaces));
             KubernetesClient admin = cluster.adminClient();
             KubernetesClient asOperator = cluster.operatorClient()) {
            MockCluster.installCrds(admin);
            for (Samples.Document doc : Samples.load()) {
                admin.resource(Samples.pointedAt(doc.object(), jdbcUrl(), "postgres", "", "http://127.0.0.1:9/v1")).create();
            }
            // as the chart runs it: leader election in the release namespace
            TollgateOperator operator = new TollgateOperator().inProcess("rbac-test")
                    .start(asOperator, new OperatorSettings(Set.copyOf(watchNamespaces), Duration.ofMillis(200), PLATFORM, -1));
            try {
                await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                        assertThat(fullyReconciled(admin)).as("fully reconciled; refused so far: %s", cluster.refused()).isTrue());
            } finally {
                operator.stop();
            }
            assertThat(cluster.refused()).as("requests the chart's RBAC does not grant").isEmpty();
        }
    }

    private static boolean fullyReconciled(KubernetesClient c) {
        LLMGateway gw = c.resources(LLMGateway.class).inNamespace(PLATFORM).withName("gateway").get();
        VirtualKey key = c.resources(VirtualKey.class).inNamespace(TEAM).withName("search-api").get();
        TeamBudget team = c.resources(TeamBudget.class).inNamespace(TEAM).withName("search").get();
        return MockCluster.rawSnapshot(c, PLATFORM, "gateway") != null
                && c.apps().statefulSets().inNamespace(PLATFORM).withName("gateway").get() != null
                && gw.getStatus() != null && Integer.valueOf(2).equals(gw.getStatus().keys) && Integer.valueOf(1).equals(gw.getStatus().teams)
                && Integer.valueOf(2).equals(gw.getStatus().routes)
                && c.secrets().inNamespace(TEAM).withName("search-api-key").get() != null
                && key.getStatus() != null && Conditions.isTrue(key.getStatus(), Conditions.READY) && "0.2500".equals(key.getStatus().spendUsd)
                && Conditions.isTrue(key.getStatus(), BudgetStatusAggregator.LEDGER_REACHABLE)
                && team.getStatus() != null && Conditions.isTrue(team.getStatus(), Conditions.ACCEPTED) && "0.2500".equals(team.getStatus().spendUsd);
    }
}
