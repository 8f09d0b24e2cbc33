package dev.tollgate.operator;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.usage.Usage;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator replicas with leader election, as the chart runs them (its RBAC, the lease in the release namespace):
 * only the leader reads the ledger; the standby reads nothing.
 */
class SpendLeaderTest {

    @Test
    void onlyTheLeaderReadsTheLedgerAndTheStandbyReadsNothing() throws Exception {
        try (RbacMockServer cluster = new RbacMockServer(ChartRbac.render(List.of()));
             KubernetesClient client = cluster.adminClient();
             KubernetesClient replicaA = cluster.operatorClient();
             KubernetesClient replicaB = cluster.operatorClient()) {
            MockCluster.installCrds(client);
            String url = SharedPostgres.newDatabase();
            try (LedgerDatabase ledger = new LedgerDatabase(new DatabaseSettings(url, "postgres", null, 2))) {
                Instant at = Instant.now().minusSeconds(60);
                new LedgerStore(ledger).insertBatch(List.of(new LedgerEntry(UUID.randomUUID().toString(), null, new LedgerEntry.Who("l1/app", null),
                        new LedgerEntry.What("chat", "m", "b", "p", "m", false),
                        new LedgerEntry.Timing(at, null, at), new Usage(1, 1, 0, 0, false),
                        new BigDecimal("1.5"), new LedgerEntry.Outcome(200, null), null)));
            }
            MockCluster.namespace(client, "l1", Map.of());
            client.resource(MockCluster.secret("l1", "ledger-db", Map.of("url", url, "username", "postgres"))).create();
            client.resource(MockCluster.gatewayWithLedger("l1", "gw", "ledger-db")).create();
            client.resource(MockCluster.virtualKey("l1", "app", "l1", "gw")).create();
            OperatorSettings settings = new OperatorSettings(Set.of(), Duration.ofMillis(200), ChartRbac.RELEASE_NAMESPACE, -1);
            TollgateOperator a = new TollgateOperator().inProcess("replica-a").start(replicaA, settings);
            TollgateOperator b = new TollgateOperator().inProcess("replica-b").start(replicaB, settings);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    VirtualKey vk = client.resources(VirtualKey.class).inNamespace("l1").withName("app").get();
                    return vk.getStatus() != null && "1.5000".equals(vk.getStatus().spendUsd);
                });
                assertThat(List.of(a.leading(), b.leading())).containsExactlyInAnyOrder(true, false);
                TollgateOperator leader = a.leading() ? a : b;
                TollgateOperator standby = a.leading() ? b : a;

                // the standby's spend sources keep polling (ten intervals) but never touch the ledger
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> !standby.metrics().scrape().contains("tollgate_spend_reads_total"));
                assertThat(leader.metrics().scrape()).containsPattern("tollgate_spend_reads_total\\{gateway=\"gw\",gateway_namespace=\"l1\",result=\"ok\"} [1-9]");
            } finally {
                a.stop();
                b.stop();
            }
        }
    }
}
