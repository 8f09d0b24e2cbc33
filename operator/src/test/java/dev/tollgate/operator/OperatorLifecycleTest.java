package dev.tollgate.operator;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.api.crd.VirtualKeySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.tollgate.operator.MockCluster.decode;
import static dev.tollgate.operator.MockCluster.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Time-driven and delete paths: scheduled rotation on a hand-driven clock, deleting ModelRoutes and TeamBudgets. */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorLifecycleTest {

    static KubernetesClient client;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z"));
    static TollgateOperator operator;

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrds(client);
        operator = new TollgateOperator(clock).start(client, OperatorSettings.defaults().withSpendInterval(Duration.ZERO));
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static void platform(String ns) {
        MockCluster.platform(client, ns, LLMGatewaySpec.AllowedNamespaces.From.Same);
    }

    private static KeyConfig key(String ns, String name) {
        GatewayConfig cfg = snapshot(client, ns, "gw");
        return cfg == null ? null : cfg.keys().stream().filter(k -> k.name().equals(ns + "/" + name)).findFirst().orElse(null);
    }

    private static RouteConfig route(String ns, String model) {
        GatewayConfig cfg = snapshot(client, ns, "gw");
        return cfg == null ? null : cfg.routes().stream().filter(r -> r.model().equals(model)).findFirst().orElse(null);
    }

    private static LLMGateway gateway(String ns) {
        return client.resources(LLMGateway.class).inNamespace(ns).withName("gw").get();
    }

    @Test
    void aKeyIsRotatedWhenRotationEveryHasPassedAndTheOldHashLastsForTheGracePeriod() {
        platform("l1");
        VirtualKey vk = MockCluster.virtualKey("l1", "app", "l1", "gw");
        vk.getSpec().rotation = new VirtualKeySpec.Rotation();
        vk.getSpec().rotation.every = "1h";
        vk.getSpec().rotation.gracePeriod = "10m";
        client.resource(vk).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> key("l1", "app") != null);
        String first = decode(client.secrets().inNamespace("l1").withName("app-key").get(), "key");
        Instant firstWritten = clock.instant();

        // before the hour is up, a reconcile (any change to the key triggers one) keeps the key
        clock.advance(Duration.ofMinutes(59));
        MockCluster.edit(client.resources(VirtualKey.class).inNamespace("l1").withName("app"), v -> {
            v.getMetadata().getLabels().put("touch", "1");
            return v;
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                first.equals(decode(client.secrets().inNamespace("l1").withName("app-key").get(), "key")));

        clock.advance(Duration.ofMinutes(2));
        MockCluster.edit(client.resources(VirtualKey.class).inNamespace("l1").withName("app"), v -> {
            v.getMetadata().getLabels().put("touch", "2");
            return v;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> key("l1", "app") != null && !key("l1", "app").keyHash().equals(KeyHashes.hash(first)));
        String second = decode(client.secrets().inNamespace("l1").withName("app-key").get(), "key");
        KeyConfig k = key("l1", "app");
        assertThat(second).isNotEqualTo(first).startsWith("sk-tg-");
        assertThat(k.keyHash()).isEqualTo(KeyHashes.hash(second));
        assertThat(k.graceHashes()).singleElement().satisfies(g -> {
            assertThat(g.keyHash()).isEqualTo(KeyHashes.hash(first));
            assertThat(g.validUntil()).isEqualTo(firstWritten.plus(Duration.ofMinutes(61 + 10)));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            VirtualKey v = client.resources(VirtualKey.class).inNamespace("l1").withName("app").get();
            return v.getStatus() != null && firstWritten.plus(Duration.ofMinutes(61)).toString().equals(v.getStatus().rotatedAt);
        });

        // once the grace period is over, the next render drops the old hash
        clock.advance(Duration.ofMinutes(11));
        MockCluster.edit(client.resources(VirtualKey.class).inNamespace("l1").withName("app"), v -> {
            v.getSpec().models = List.of("*", "gpt-4o-mini");
            return v;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> key("l1", "app") != null && key("l1", "app").graceHashes().isEmpty());
        assertThat(key("l1", "app").keyHash()).isEqualTo(KeyHashes.hash(second));
    }

    @Test
    void deletingAModelRouteTakesItAndFallbacksToItOutOfTheSnapshot() {
        platform("l2");
        ModelRoute big = MockCluster.mockRoute("l2", "big", "gw", "gpt-4o");
        big.getSpec().fallbacks = List.of("fast");
        client.resource(big).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> route("l2", "gpt-4o") != null
                && route("l2", "gpt-4o").fallbacks().equals(List.of("gpt-4o-mini"))
                && gateway("l2").getStatus() != null && Integer.valueOf(2).equals(gateway("l2").getStatus().routes));

        client.resources(ModelRoute.class).inNamespace("l2").withName("fast").delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> route("l2", "gpt-4o-mini") == null);
        assertThat(route("l2", "gpt-4o").fallbacks()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1).equals(gateway("l2").getStatus().routes));

        client.resources(ModelRoute.class).inNamespace("l2").withName("big").delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(client, "l2", "gw").routes().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(0).equals(gateway("l2").getStatus().routes));
    }

    @Test
    void deletingATeamBudgetRemovesTheTeamAndItsKeysNoLongerCountTowardsIt() {
        platform("l3");
        client.resource(MockCluster.teamBudget("l3", "budget", "l3", "gw", "100")).create();
        client.resource(MockCluster.virtualKey("l3", "app", "l3", "gw")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> key("l3", "app") != null && "l3/budget".equals(key("l3", "app").team()));
        String keyHash = key("l3", "app").keyHash();

        client.resources(TeamBudget.class).inNamespace("l3").withName("budget").delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(client, "l3", "gw").teams().isEmpty());
        assertThat(key("l3", "app").team()).isNull();
        assertThat(key("l3", "app").keyHash()).isEqualTo(keyHash);
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(0).equals(gateway("l3").getStatus().teams));
    }
}
