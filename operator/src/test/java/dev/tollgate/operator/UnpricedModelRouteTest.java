package dev.tollgate.operator;

import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteSpec;
import dev.tollgate.api.pricing.PriceCatalog;
import dev.tollgate.operator.cluster.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ModelRoute whose backend has no price (neither its own pricing nor a model in the built-in catalog) is left out
 * of the snapshot with the condition UnpricedModel; the other routes, a catalogued one and a self-hosted one declared
 * free, keep serving, and the snapshot stays one the gateway's strict loader accepts.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class UnpricedModelRouteTest {

    static KubernetesClient client;
    static TollgateOperator operator;

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrds(client);
        operator = new TollgateOperator().start(client, OperatorSettings.defaults());
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static ModelRoute route(String name) {
        return client.resources(ModelRoute.class).inNamespace("u1").withName(name).get();
    }

    private static Condition condition(ModelRoute r, String type) {
        return r == null || r.getStatus() == null ? null : Conditions.find(r.getStatus().conditions, type);
    }

    private static GatewayConfig strictSnapshot() {
        String yaml = MockCluster.rawSnapshot(client, "u1", "gw");
        return yaml == null ? null : new ConfigLoader(v -> "placeholder", Set.of(), Map.of(), PriceCatalog.builtIn()).parse(yaml);
    }

    private static List<String> models() {
        GatewayConfig c = strictSnapshot();
        return c == null ? List.of() : c.routes().stream().map(RouteConfig::model).toList();
    }

    @Test
    void unpricedBackendLeavesItsRouteOutWithTheConditionUnpricedModel() {
        MockCluster.platform(client, "u1", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.secret("u1", "openai-creds", Map.of("apiKey", "sk-upstream-1"))).create();
        client.resource(MockCluster.openAiRoute("u1", "tuned", "gw", "house-model-7", "openai-creds", "apiKey")).create();
        client.resource(MockCluster.openAiRoute("u1", "catalogued", "gw", "gpt-4o-mini", "openai-creds", "apiKey")).create();
        ModelRoute local = MockCluster.mockRoute("u1", "local", "gw", "llama-local");
        ModelRouteSpec.Backend vllm = new ModelRouteSpec.Backend();
        vllm.name = "vllm";
        vllm.provider = "vllm";
        vllm.model = "meta-llama/Llama-3.3-70B-Instruct";
        vllm.baseUrl = "http://vllm.llm.svc:8000/v1";
        vllm.pricing = new ModelRouteSpec.PricingSpec();
        vllm.pricing.free = true;
        local.getSpec().backends = List.of(vllm);
        client.resource(local).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> condition(route("tuned"), Conditions.ACCEPTED) != null
                && models().containsAll(List.of("gpt-4o-mini", "llama-local")));
        Condition accepted = condition(route("tuned"), Conditions.ACCEPTED);
        assertThat(accepted.getStatus()).isEqualTo("False");
        assertThat(accepted.getReason()).isEqualTo("UnpricedModel");
        assertThat(accepted.getMessage()).isEqualTo("spec.backends[0] 'openai': model 'house-model-7' of provider 'openai' has no price: "
                + "it is not in the built-in price catalog (as of 2026-09-23) and the backend sets no pricing; "
                + "set the backend's pricing to { inputPerMillion: <USD>, outputPerMillion: <USD> }, or to { free: true } for a self-hosted model");
        Condition ready = condition(route("tuned"), Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("UnpricedModel");
        assertThat(models()).containsExactlyInAnyOrder("gpt-4o-mini", "llama-local");
        assertThat(strictSnapshot().routes().stream().filter(r -> r.model().equals("llama-local")).findFirst().orElseThrow()
                .backends().getFirst().pricing()).isEqualTo(Pricing.FREE);

        MockCluster.edit(client.resources(ModelRoute.class).inNamespace("u1").withName("tuned"), r -> {
            ModelRouteSpec.PricingSpec price = new ModelRouteSpec.PricingSpec();
            price.inputPerMillion = new BigDecimal("0.80");
            price.outputPerMillion = new BigDecimal("3.20");
            r.getSpec().backends.getFirst().pricing = price;
            return r;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> models().contains("house-model-7")
                && Conditions.isTrue(route("tuned").getStatus(), Conditions.READY));
        assertThat(strictSnapshot().routes().stream().filter(r -> r.model().equals("house-model-7")).findFirst().orElseThrow()
                .backends().getFirst().pricing().outputPerMillion()).isEqualByComparingTo("3.20");
    }
}
