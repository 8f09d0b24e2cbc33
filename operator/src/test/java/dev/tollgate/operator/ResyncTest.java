package dev.tollgate.operator;

import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.operator.cluster.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resync interval reconciles every resource again when no event comes (the safety net for a watch event JOSDK
 * dropped), and such a reconcile that finds nothing new writes nothing: the resource's version stays.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ResyncTest {

    static KubernetesClient client;
    static TollgateOperator operator;

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrds(client);
        OperatorSettings d = OperatorSettings.defaults();
        operator = new TollgateOperator().start(client, new OperatorSettings(d.namespaces(), d.spendInterval(),
                d.leaderElection(), -1, d.gatewayImage(), Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static ModelRoute route() {
        return client.resources(ModelRoute.class).inNamespace("r1").withName("chat").get();
    }

    /** Reconciliations the route controller has started, from the operator's own metrics (JOSDK's counter). */
    private static double routeReconciliations() {
        return operator.metrics().scrape().lines()
                .filter(l -> !l.startsWith("#") && l.contains("reconciliations_started") && l.contains("modelroute"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Waits for the route's next reconcile and tells whether its resource version is the same after it. */
    private static boolean aReconcileLeavesTheVersion() {
        String version = route().getMetadata().getResourceVersion();
        double before = routeReconciliations();
        await().atMost(Duration.ofSeconds(10)).until(() -> routeReconciliations() > before);
        return route().getMetadata().getResourceVersion().equals(version);
    }

    @Test
    void aResourceIsReconciledAgainWithoutAnEventAndNothingIsWritten() {
        MockCluster.platform(client, "r1", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.mockRoute("r1", "chat", "gw", "gpt-4o-mini")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> route().getStatus() != null
                && Conditions.isTrue(route().getStatus(), Conditions.READY));
        // settled: the status written while the gateway's snapshot came up is behind us
        await().atMost(Duration.ofSeconds(20)).until(ResyncTest::aReconcileLeavesTheVersion);

        String version = route().getMetadata().getResourceVersion();
        double before = routeReconciliations();
        // nothing changes in the cluster, so these reconciles come from the resync alone
        await().atMost(Duration.ofSeconds(15)).until(() -> routeReconciliations() >= before + 2);
        assertThat(route().getMetadata().getResourceVersion()).as("a resync that finds nothing new writes nothing")
                .isEqualTo(version);
    }
}
