package dev.tollgate.operator;

import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.SecretKeyRef;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the operator asks of the API server, on a mock API server that records every request of the operator (and
 * authorizes it with the chart's RBAC): the owned objects and every Secret come from informers, so once everything is
 * reconciled, reconciles brought by events that change nothing send no request at all; and Secrets are only ever
 * listed and watched through a label selector, so no informer caches every Secret in scope.
 */
class ApiRequestsTest {

    private static final String PLATFORM = "platform";
    private static final String TEAM = "team";
    /** Kinds the operator owns or reads per reconcile: none of them is ever fetched by name. */
    private static final Set<String> CACHED = Set.of("secrets", "serviceaccounts", "services", "roles", "rolebindings", "statefulsets",
            "poddisruptionbudgets", "horizontalpodautoscalers", "llmgateways", "modelroutes", "virtualkeys", "teambudgets", "pods");

    @Test
    void reconcilesWithNothingNewSendNothingAndSecretsAreReadOnlyThroughLabelSelectors() throws Exception {
        try (RbacMockServer cluster = new RbacMockServer(ChartRbac.render(List.of()));
             KubernetesClient admin = cluster.adminClient();
             KubernetesClient asOperator = cluster.operatorClient()) {
            MockCluster.installCrds(admin);
            everyKind(admin);
            TollgateOperator operator = new TollgateOperator().start(asOperator, new OperatorSettings(Set.of(), Duration.ZERO, null, -1));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> reconciled(admin));
                // converged: nothing more to write
                int[] seen = {-1};
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> {
                    int now = cluster.operatorRequests().size();
                    boolean same = now == seen[0];
                    seen[0] = now;
                    return same;
                });
                Map<String, Double> before = reconciliations(operator);
                int mark = cluster.operatorRequests().size();

                // events that change nothing the operator renders: each reconciles the gateway, the route, the key and the budget
                MockCluster.edit(admin.secrets().inNamespace(PLATFORM).withName("openai-creds"), s -> {
                    s.getMetadata().getAnnotations().put("example.com/touched", "1");
                    return s;
                });
                MockCluster.edit(admin.resources(VirtualKey.class).inNamespace(TEAM).withName("app"), k -> {
                    k.getMetadata().getLabels().put("example.com/touched", "1");
                    return k;
                });
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    Map<String, Double> after = reconciliations(operator);
                    for (String controller : List.of("llmgateway", "modelroute", "virtualkey", "teambudget")) {
                        assertThat(after.get(controller)).as(controller).isGreaterThan(before.getOrDefault(controller, 0.0));
                    }
                });

                List<RbacMockServer.Request> steady = cluster.operatorRequests().subList(mark, cluster.operatorRequests().size());
                assertThat(steady).as("requests of reconciles with nothing new (watches aside)")
                        .filteredOn(r -> !r.attributes().verb().equals("watch")).isEmpty();
            } finally {
                operator.stop();
            }
            List<RbacMockServer.Request> all = cluster.operatorRequests();
            assertThat(all).as("GETs of owned objects, Secrets or custom resources")
                    .filteredOn(r -> r.attributes().verb().equals("get") && CACHED.contains(r.attributes().resource())).isEmpty();
            List<RbacMockServer.Request> secretReads = all.stream().filter(r -> r.attributes().resource().equals("secrets")
                    && (r.attributes().verb().equals("list") || r.attributes().verb().equals("watch"))).toList();
            assertThat(secretReads).isNotEmpty().allSatisfy(r -> assertThat(r.path()).contains("labelSelector="));
            assertThat(secretReads).extracting(RbacMockServer.Request::path)
                    .anySatisfy(p -> assertThat(p).contains("labelSelector=" + Labels.WATCHED))
                    .anySatisfy(p -> assertThat(p).contains("labelSelector=" + Labels.MANAGED))
                    .anySatisfy(p -> assertThat(p).contains("labelSelector=" + Labels.VIRTUAL_KEY));
            assertThat(cluster.refused()).isEmpty();
        }
    }

    /** A gateway with a ledger Secret and an admin key, a mock and an OpenAI route, a key and a budget in a team namespace. */
    private static void everyKind(KubernetesClient admin) {
        MockCluster.namespace(admin, PLATFORM, Map.of());
        MockCluster.namespace(admin, TEAM, Map.of());
        admin.resource(MockCluster.secret(PLATFORM, "ledger-db", Map.of("url", "jdbc:postgresql://127.0.0.1:9/ledger"))).create();
        admin.resource(MockCluster.secret(PLATFORM, "admin", Map.of("key", "admin-key-0123456789"))).create();
        admin.resource(MockCluster.secret(PLATFORM, "openai-creds", Map.of("apiKey", "sk-upstream-1"))).create();
        LLMGateway gw = MockCluster.gatewayWithLedger(PLATFORM, "gw", "ledger-db");
        gw.getSpec().allowedNamespaces.from = LLMGatewaySpec.AllowedNamespaces.From.All;
        gw.getSpec().adminKeySecretRef = new SecretKeyRef("admin", "key");
        admin.resource(gw).create();
        admin.resource(MockCluster.mockRoute(PLATFORM, "fast", "gw", "gpt-4o-mini")).create();
        admin.resource(MockCluster.openAiRoute(PLATFORM, "smart", "gw", "gpt-4o", "openai-creds", "apiKey")).create();
        admin.resource(MockCluster.virtualKey(TEAM, "app", PLATFORM, "gw")).create();
        admin.resource(MockCluster.teamBudget(TEAM, "budget", PLATFORM, "gw", "100")).create();
    }

    private static boolean reconciled(KubernetesClient c) {
        String yaml = MockCluster.rawSnapshot(c, PLATFORM, "gw");
        // as a pod loads it, its environment filling the database references
        GatewayConfig snapshot = yaml == null ? null
                : new ConfigLoader(v -> v.equals("TOLLGATE_DB_URL") ? "jdbc:postgresql://127.0.0.1:9/ledger" : "placeholder", Set.of()).parse(yaml);
        LLMGateway gw = c.resources(LLMGateway.class).inNamespace(PLATFORM).withName("gw").get();
        ModelRoute smart = c.resources(ModelRoute.class).inNamespace(PLATFORM).withName("smart").get();
        VirtualKey key = c.resources(VirtualKey.class).inNamespace(TEAM).withName("app").get();
        TeamBudget team = c.resources(TeamBudget.class).inNamespace(TEAM).withName("budget").get();
        return snapshot != null && snapshot.routes().size() == 2 && snapshot.keys().size() == 1 && snapshot.teams().size() == 1
                && snapshot.gateway().adminKeyHash() != null
                && gw.getStatus() != null && Conditions.isTrue(gw.getStatus(), Conditions.RESOLVED_REFS) && Integer.valueOf(1).equals(gw.getStatus().keys)
                && c.autoscaling().v2().horizontalPodAutoscalers().inNamespace(PLATFORM).list().getItems().isEmpty()
                && c.apps().statefulSets().inNamespace(PLATFORM).withName("gw").get() != null
                && smart.getStatus() != null && Conditions.isTrue(smart.getStatus(), Conditions.READY)
                && key.getStatus() != null && Conditions.isTrue(key.getStatus(), Conditions.READY)
                && team.getStatus() != null && Integer.valueOf(1).equals(team.getStatus().keys);
    }

    private static final Pattern SUCCESS = Pattern.compile("\nreconciliations_success_total\\{controller_name=\"([a-z]+)\"} ([0-9.E]+)");

    /** Successful reconciles per controller, from JOSDK's metrics. */
    private static Map<String, Double> reconciliations(TollgateOperator operator) {
        Map<String, Double> counts = new HashMap<>();
        Matcher m = SUCCESS.matcher(operator.metrics().scrape());
        while (m.find()) {
            counts.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return counts;
    }
}
