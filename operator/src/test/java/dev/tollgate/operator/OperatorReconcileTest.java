package dev.tollgate.operator;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.Labels;
import dev.tollgate.operator.gateway.GatewayPods;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.tollgate.operator.MockCluster.decode;
import static dev.tollgate.operator.MockCluster.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator running against the Fabric8 mock API server in CRUD mode; each test uses its own namespaces. The tests run
 * one at a time: several edit a resource right after the operator wrote it, and at high load such a spec edit was
 * sometimes never reconciled (JOSDK filters a resource's events while its own update of it is in flight); side by side,
 * or polling faster, made that more frequent.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorReconcileTest {

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

    private static VirtualKey vk(String ns, String name) {
        return client.resources(VirtualKey.class).inNamespace(ns).withName(name).get();
    }

    private static StatefulSet statefulSet(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName("gw").get();
    }

    private static LLMGateway llmGateway(String ns) {
        return client.resources(LLMGateway.class).inNamespace(ns).withName("gw").get();
    }

    /** What the StatefulSet controller would report once {@code ready} pods pass their readiness probe. */
    private static void podsReady(String ns, int ready) {
        client.apps().statefulSets().inNamespace(ns).withName("gw").editStatus(x -> {
            x.setStatus(new StatefulSetStatusBuilder().withReplicas(ready).withReadyReplicas(ready).build());
            return x;
        });
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type);
    }

    private static KeyConfig key(GatewayConfig cfg, String name) {
        return cfg == null ? null : cfg.keys().stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }

    private static void platform(String p, LLMGatewaySpec.AllowedNamespaces.From from) {
        MockCluster.platform(client, p, from);
    }

    @Test
    void virtualKeyGetsAGeneratedSecretAndOnlyItsHashReachesTheSnapshot() {
        platform("p1", LLMGatewaySpec.AllowedNamespaces.From.All);
        MockCluster.namespace(client, "team1", Map.of());
        client.resource(MockCluster.virtualKey("team1", "app", "p1", "gw")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p1", "gw"), "team1/app") != null);
        Secret secret = client.secrets().inNamespace("team1").withName("app-key").get();
        String plaintext = decode(secret, "key");
        assertThat(plaintext).startsWith("sk-tg-").hasSizeGreaterThanOrEqualTo(6 + 43);
        assertThat(decode(secret, "baseUrl")).isEqualTo("http://gw.p1.svc:4000/v1");
        KeyConfig k = key(snapshot(client, "p1", "gw"), "team1/app");
        assertThat(k.keyHash()).isEqualTo(KeyHashes.hash(plaintext));
        assertThat(MockCluster.rawSnapshot(client, "p1", "gw")).doesNotContain(plaintext);
        await().atMost(Duration.ofSeconds(10)).until(() -> vk("team1", "app").getStatus() != null
                && Conditions.isTrue(vk("team1", "app").getStatus(), Conditions.READY));
        VirtualKey vk = vk("team1", "app");
        assertThat(vk.getStatus().keyHint).isEqualTo("…" + plaintext.substring(plaintext.length() - 4));
        assertThat(vk.getStatus().secretName).isEqualTo("app-key");
        assertThat(vk.getStatus().observedGeneration).isEqualTo(vk.getMetadata().getGeneration());
        assertThat(Serialization.asJson(vk)).doesNotContain(plaintext);
        assertThat(vk.getMetadata().getFinalizers()).isNullOrEmpty();
    }

    @Test
    void secondReconcileChangesNothing() {
        platform("p2", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.virtualKey("p2", "svc", "p2", "gw")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> vk("p2", "svc").getStatus() != null
                && Conditions.isTrue(vk("p2", "svc").getStatus(), Conditions.READY)
                && key(snapshot(client, "p2", "gw"), "p2/svc") != null
                && client.resources(LLMGateway.class).inNamespace("p2").withName("gw").get().getStatus() != null
                && Integer.valueOf(1).equals(client.resources(LLMGateway.class).inNamespace("p2").withName("gw").get().getStatus().keys));
        String keyRv = client.secrets().inNamespace("p2").withName("svc-key").get().getMetadata().getResourceVersion();
        String configRv = client.secrets().inNamespace("p2").withName("gw-config").get().getMetadata().getResourceVersion();
        String vkRv = vk("p2", "svc").getMetadata().getResourceVersion();
        String gwRv = client.resources(LLMGateway.class).inNamespace("p2").withName("gw").get().getMetadata().getResourceVersion();
        String stsRv = statefulSet("p2").getMetadata().getResourceVersion();
        String headlessRv = client.services().inNamespace("p2").withName("gw-headless").get().getMetadata().getResourceVersion();

        // an unrelated Secret in the gateway's namespace triggers a gateway reconcile with nothing new to do
        client.resource(MockCluster.secret("p2", "unrelated", Map.of("a", "b"))).create();

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                keyRv.equals(client.secrets().inNamespace("p2").withName("svc-key").get().getMetadata().getResourceVersion())
                        && configRv.equals(client.secrets().inNamespace("p2").withName("gw-config").get().getMetadata().getResourceVersion())
                        && vkRv.equals(vk("p2", "svc").getMetadata().getResourceVersion())
                        && gwRv.equals(client.resources(LLMGateway.class).inNamespace("p2").withName("gw").get().getMetadata().getResourceVersion())
                        && stsRv.equals(statefulSet("p2").getMetadata().getResourceVersion())
                        && headlessRv.equals(client.services().inNamespace("p2").withName("gw-headless").get().getMetadata().getResourceVersion()));
    }

    @Test
    void keyFromANamespaceTheGatewayDoesNotAdmitIsRefused() {
        platform("p3", LLMGatewaySpec.AllowedNamespaces.From.Same);
        MockCluster.namespace(client, "team3", Map.of());
        client.resource(MockCluster.virtualKey("team3", "intruder", "p3", "gw")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> vk("team3", "intruder").getStatus() != null
                && condition(vk("team3", "intruder").getStatus().conditions, Conditions.ACCEPTED) != null);
        Condition accepted = condition(vk("team3", "intruder").getStatus().conditions, Conditions.ACCEPTED);
        assertThat(accepted.getStatus()).isEqualTo("False");
        assertThat(accepted.getReason()).isEqualTo("NotAllowedByGateway");
        assertThat(client.secrets().inNamespace("team3").withName("intruder-key").get()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(client, "p3", "gw") != null);
        assertThat(key(snapshot(client, "p3", "gw"), "team3/intruder")).isNull();
    }

    @Test
    void namespaceSelectorAdmitsLabelledNamespaces() {
        MockCluster.namespace(client, "p4", Map.of());
        LLMGateway gw = MockCluster.gateway("p4", "gw", LLMGatewaySpec.AllowedNamespaces.From.Selector);
        gw.getSpec().allowedNamespaces.selector = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels("tollgate", "yes").build();
        client.resource(gw).create();
        MockCluster.namespace(client, "team4a", Map.of("tollgate", "yes"));
        MockCluster.namespace(client, "team4b", Map.of());
        client.resource(MockCluster.virtualKey("team4a", "in", "p4", "gw")).create();
        client.resource(MockCluster.virtualKey("team4b", "out", "p4", "gw")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p4", "gw"), "team4a/in") != null
                && vk("team4b", "out").getStatus() != null);
        assertThat(key(snapshot(client, "p4", "gw"), "team4b/out")).isNull();
        assertThat(condition(vk("team4b", "out").getStatus().conditions, Conditions.ACCEPTED).getReason()).isEqualTo("NotAllowedByGateway");
    }

    @Test
    void suspendingAKeyRemovesItFromTheSnapshotAndResumingRestoresTheSameKey() {
        platform("p5", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.virtualKey("p5", "app", "p5", "gw")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p5", "gw"), "p5/app") != null);
        String hash = key(snapshot(client, "p5", "gw"), "p5/app").keyHash();

        MockCluster.edit(client.resources(VirtualKey.class).inNamespace("p5").withName("app"), v -> {
            v.getSpec().suspended = true;
            return v;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p5", "gw"), "p5/app") == null
                && Conditions.isTrue(vk("p5", "app").getStatus(), Conditions.SUSPENDED));
        assertThat(Conditions.isTrue(vk("p5", "app").getStatus(), Conditions.READY)).isFalse();

        MockCluster.edit(client.resources(VirtualKey.class).inNamespace("p5").withName("app"), v -> {
            v.getSpec().suspended = false;
            return v;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p5", "gw"), "p5/app") != null);
        assertThat(key(snapshot(client, "p5", "gw"), "p5/app").keyHash()).isEqualTo(hash);
    }

    @Test
    void expiredKeyIsLeftOut() {
        platform("p6", LLMGatewaySpec.AllowedNamespaces.From.Same);
        VirtualKey expired = MockCluster.virtualKey("p6", "old", "p6", "gw");
        expired.getSpec().expiresAt = "2020-01-01T00:00:00Z";
        client.resource(expired).create();
        client.resource(MockCluster.virtualKey("p6", "fresh", "p6", "gw")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p6", "gw"), "p6/fresh") != null
                && vk("p6", "old").getStatus() != null && Conditions.isTrue(vk("p6", "old").getStatus(), Conditions.EXPIRED));
        assertThat(key(snapshot(client, "p6", "gw"), "p6/old")).isNull();
    }

    @Test
    void rotationOnDemandWritesANewKeyAndKeepsTheOldHashForTheGracePeriod() {
        platform("p7", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.virtualKey("p7", "app", "p7", "gw")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> key(snapshot(client, "p7", "gw"), "p7/app") != null);
        String oldKey = decode(client.secrets().inNamespace("p7").withName("app-key").get(), "key");

        MockCluster.edit(client.resources(VirtualKey.class).inNamespace("p7").withName("app"), v -> {
            v.getMetadata().getAnnotations().put(VirtualKey.ROTATE_ANNOTATION, "2026-01-01");
            return v;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            KeyConfig k = key(snapshot(client, "p7", "gw"), "p7/app");
            return k != null && !k.keyHash().equals(KeyHashes.hash(oldKey));
        });
        String newKey = decode(client.secrets().inNamespace("p7").withName("app-key").get(), "key");
        KeyConfig k = key(snapshot(client, "p7", "gw"), "p7/app");
        assertThat(newKey).isNotEqualTo(oldKey).startsWith("sk-tg-");
        assertThat(k.keyHash()).isEqualTo(KeyHashes.hash(newKey));
        assertThat(k.graceHashes()).extracting(KeyConfig.GraceHash::keyHash).containsExactly(KeyHashes.hash(oldKey));
        assertThat(MockCluster.rawSnapshot(client, "p7", "gw")).doesNotContain(oldKey).doesNotContain(newKey);
    }

    @Test
    void routeWithAMissingCredentialSecretIsLeftOutWithoutBreakingTheOthers() {
        platform("p9", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.openAiRoute("p9", "smart", "gw", "gpt-4o", "openai-creds", "apiKey")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ModelRoute r = client.resources(ModelRoute.class).inNamespace("p9").withName("smart").get();
            return r.getStatus() != null && condition(r.getStatus().conditions, Conditions.RESOLVED_REFS) != null;
        });
        ModelRoute smart = client.resources(ModelRoute.class).inNamespace("p9").withName("smart").get();
        Condition refs = condition(smart.getStatus().conditions, Conditions.RESOLVED_REFS);
        assertThat(refs.getStatus()).isEqualTo("False");
        assertThat(refs.getMessage()).contains("p9/openai-creds");
        assertThat(smart.getStatus().backends).isEqualTo("0/1");
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(client, "p9", "gw") != null
                && snapshot(client, "p9", "gw").routes().size() == 1);
        assertThat(snapshot(client, "p9", "gw").routes()).extracting(r -> r.model()).containsExactly("gpt-4o-mini");

        client.resource(MockCluster.secret("p9", "openai-creds", Map.of("other", "x"))).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> condition(client.resources(ModelRoute.class).inNamespace("p9").withName("smart").get()
                .getStatus().conditions, Conditions.RESOLVED_REFS).getMessage().contains("has no key apiKey"));

        MockCluster.edit(client.secrets().inNamespace("p9").withName("openai-creds"), s -> MockCluster.secret("p9", "openai-creds", Map.of("apiKey", "sk-upstream-1")));
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(client, "p9", "gw").routes().size() == 2
                && Conditions.isTrue(client.resources(ModelRoute.class).inNamespace("p9").withName("smart").get().getStatus(), Conditions.READY));
        assertThat(snapshot(client, "p9", "gw").routes().stream().filter(r -> r.model().equals("gpt-4o")).findFirst().orElseThrow()
                .backends().get(0).apiKey()).isEqualTo("sk-upstream-1");
    }

    @Test
    void aSecretWithoutTheWatchedLabelIsReportedNeverUsedAndTakenOnceLabelled() {
        platform("p18", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.unlabelledSecret("p18", "openai-creds", Map.of("apiKey", "sk-upstream-1"))).create();
        client.resource(MockCluster.unlabelledSecret("p18", "admin", Map.of("key", "admin-key-0123456789"))).create();
        MockCluster.edit(client.resources(LLMGateway.class).inNamespace("p18").withName("gw"), g -> {
            g.getSpec().adminKeySecretRef = CrdRefs.secretKeyRef("admin", "key");
            return g;
        });
        client.resource(MockCluster.openAiRoute("p18", "smart", "gw", "gpt-4o", "openai-creds", "apiKey")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ModelRoute r = client.resources(ModelRoute.class).inNamespace("p18").withName("smart").get();
            return r.getStatus() != null && condition(r.getStatus().conditions, Conditions.RESOLVED_REFS) != null
                    && llmGateway("p18").getStatus() != null && condition(llmGateway("p18").getStatus().conditions, Conditions.RESOLVED_REFS) != null
                    && "False".equals(condition(llmGateway("p18").getStatus().conditions, Conditions.RESOLVED_REFS).getStatus());
        });
        Condition routeRefs = condition(client.resources(ModelRoute.class).inNamespace("p18").withName("smart").get().getStatus().conditions,
                Conditions.RESOLVED_REFS);
        assertThat(routeRefs.getStatus()).isEqualTo("False");
        assertThat(routeRefs.getReason()).isEqualTo("SecretNotLabelled");
        assertThat(routeRefs.getMessage()).contains("Secret p18/openai-creds is not labelled tollgate.dev/watched=true",
                "kubectl label secret -n p18 openai-creds tollgate.dev/watched=true");
        Condition gatewayRefs = condition(llmGateway("p18").getStatus().conditions, Conditions.RESOLVED_REFS);
        assertThat(gatewayRefs.getReason()).isEqualTo("SecretNotLabelled");
        assertThat(gatewayRefs.getMessage()).contains("Secret p18/admin is not labelled");
        assertThat(snapshot(client, "p18", "gw").routes()).extracting(r -> r.model()).containsExactly("gpt-4o-mini");
        assertThat(snapshot(client, "p18", "gw").gateway().adminKeyHash()).as("never read from a Secret the operator does not watch").isNull();

        for (String name : List.of("openai-creds", "admin")) {
            MockCluster.edit(client.secrets().inNamespace("p18").withName(name), sec -> {
                sec.getMetadata().getLabels().put(Labels.WATCH, "true");
                return sec;
            });
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(client, "p18", "gw").routes().size() == 2
                && snapshot(client, "p18", "gw").gateway().adminKeyHash() != null
                && Conditions.isTrue(llmGateway("p18").getStatus(), Conditions.RESOLVED_REFS)
                && Conditions.isTrue(client.resources(ModelRoute.class).inNamespace("p18").withName("smart").get().getStatus(), Conditions.READY));
        assertThat(snapshot(client, "p18", "gw").gateway().adminKeyHash()).isEqualTo(KeyHashes.hash("admin-key-0123456789"));
    }

    @Test
    void fallbacksNameModelsAndDuplicateModelNamesAreRefused() {
        platform("p10", LLMGatewaySpec.AllowedNamespaces.From.Same);
        ModelRoute big = MockCluster.mockRoute("p10", "big", "gw", "gpt-4o");
        big.getSpec().fallbacks = List.of("fast", "missing");
        client.resource(big).create();
        client.resource(MockCluster.mockRoute("p10", "dup", "gw", "gpt-4o")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ModelRoute dup = client.resources(ModelRoute.class).inNamespace("p10").withName("dup").get();
            return dup.getStatus() != null && "ModelNameConflict".equals(condition(dup.getStatus().conditions, Conditions.ACCEPTED).getReason());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(client, "p10", "gw") != null && snapshot(client, "p10", "gw").routes().size() == 2);
        var route = snapshot(client, "p10", "gw").routes().stream().filter(r -> r.model().equals("gpt-4o")).findFirst().orElseThrow();
        assertThat(route.fallbacks()).containsExactly("gpt-4o-mini");
        assertThat(route.backends().get(0).name()).isEqualTo("big/mock");
    }

    @Test
    void teamBudgetEntersTheSnapshotAndKeysOfItsNamespaceCountTowardsIt() {
        platform("p11", LLMGatewaySpec.AllowedNamespaces.From.All);
        MockCluster.namespace(client, "team11", Map.of());
        TeamBudget tb = MockCluster.teamBudget("team11", "budget", "p11", "gw", "100");
        tb.getSpec().limits = new dev.tollgate.api.crd.LimitsSpec();
        tb.getSpec().limits.rpm = 600;
        client.resource(tb).create();
        client.resource(MockCluster.virtualKey("team11", "a", "p11", "gw")).create();
        client.resource(MockCluster.virtualKey("team11", "b", "p11", "gw")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            GatewayConfig cfg = snapshot(client, "p11", "gw");
            return cfg != null && key(cfg, "team11/a") != null && key(cfg, "team11/b") != null && !cfg.teams().isEmpty();
        });
        GatewayConfig cfg = snapshot(client, "p11", "gw");
        assertThat(cfg.teams()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("team11/budget");
            assertThat(t.budget().amountUsd()).isEqualByComparingTo("100");
            assertThat(t.limits().rpm()).isEqualTo(600);
        });
        assertThat(key(cfg, "team11/a").team()).isEqualTo("team11/budget");
        assertThat(key(cfg, "team11/b").team()).isEqualTo("team11/budget");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            TeamBudget t = client.resources(TeamBudget.class).inNamespace("team11").withName("budget").get();
            return t.getStatus() != null && Integer.valueOf(2).equals(t.getStatus().keys) && Conditions.isTrue(t.getStatus(), Conditions.READY);
        });
    }

    @Test
    void gatewayOwnsItsStatefulSetServicesRbacAndAutoscaler() {
        MockCluster.namespace(client, "p12", Map.of());
        LLMGateway gw = MockCluster.gateway("p12", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().database = new LLMGatewaySpec.Database();
        gw.getSpec().database.secretName = "ledger-db";
        client.resource(gw).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> statefulSet("p12") != null && llmGateway("p12").getStatus() != null);
        StatefulSet sts = statefulSet("p12");
        var c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("gw-headless");
        assertThat(sts.getSpec().getVolumeClaimTemplates()).extracting(v -> v.getMetadata().getName()).containsExactly("journal");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/liveness");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/readiness");
        assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(4000);
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/tollgate"));
        assertThat(c.getArgs()).containsExactly("--config", "/etc/tollgate/config.yaml", "--watch-secret", "p12/gw-config");
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("prometheus.io/scrape", "true");
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
            assertThat(e.getValue()).contains("-XX:+AlwaysPreTouch", "-XX:MaxRAMPercentage=35", "-XX:+UseCompactObjectHeaders");
        }).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("MALLOC_ARENA_MAX=2"));
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("TOLLGATE_DB_PASSWORD");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ledger-db");
        });
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("LLMGateway"));
        assertThat(client.services().inNamespace("p12").withName("gw").get().getSpec().getPorts().get(0).getPort()).isEqualTo(4000);
        assertThat(client.services().inNamespace("p12").withName("gw-headless").get().getSpec().getClusterIP()).isEqualTo("None");
        Role role = client.rbac().roles().inNamespace("p12").withName("gw-gateway").get();
        assertThat(role.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("secrets");
            assertThat(r.getResourceNames()).containsExactly("gw-config");
            assertThat(r.getVerbs()).doesNotContain("create", "update", "patch", "delete");
        });
        assertThat(client.rbac().roleBindings().inNamespace("p12").withName("gw-gateway").get()).isNotNull();
        assertThat(client.serviceAccounts().inNamespace("p12").withName("gw-gateway").get()).isNotNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("p12").withName("gw").get().getSpec().getSelector().getMatchLabels())
                .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("p12").withName("gw").get()).isNull();
        assertThat(MockCluster.rawSnapshot(client, "p12", "gw")).contains("${TOLLGATE_DB_URL}");
        LLMGateway status = llmGateway("p12");
        assertThat(status.getStatus().configVersion).hasSize(12);
        assertThat(Conditions.isTrue(status.getStatus(), Conditions.READY)).isFalse();
        assertThat(Conditions.find(status.getStatus().conditions, Conditions.READY).getReason()).isEqualTo("PodsNotReady");

        // pods become ready → Ready with the StatefulSet's figures; autoscaling set → HPA on the StatefulSet
        podsReady("p12", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.isTrue(llmGateway("p12").getStatus(), Conditions.READY));
        assertThat(llmGateway("p12").getStatus().readyReplicas).isEqualTo(2);
        assertThat(llmGateway("p12").getStatus().replicas).isEqualTo(2);
        MockCluster.edit(client.resources(LLMGateway.class).inNamespace("p12").withName("gw"), g -> {
            g.getSpec().autoscaling = new LLMGatewaySpec.Autoscaling();
            g.getSpec().autoscaling.maxReplicas = 6;
            return g;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("p12").withName("gw").get() != null);
        HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("p12").withName("gw").get();
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("gw");
    }

    @Test
    void withoutADatabaseEachPodKeepsItsSqliteLedgerAndSpillOnItsJournalVolume() {
        MockCluster.namespace(client, "p-sqlite", Map.of());
        client.resource(MockCluster.gateway("p-sqlite", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same)).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(client, "p-sqlite", "gw") != null);
        var settings = snapshot(client, "p-sqlite", "gw").gateway();
        assertThat(settings.database().url()).isEqualTo("jdbc:sqlite:/var/lib/tollgate/ledger.db");
        assertThat(settings.ledger().spillDirectory()).startsWith("/var/lib/tollgate/");
    }

    @Test
    void underAnAutoscalerTheOperatorLeavesTheReplicasTheHpaChose() {
        MockCluster.namespace(client, "p13", Map.of());
        LLMGateway gw = MockCluster.gateway("p13", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().autoscaling = new LLMGatewaySpec.Autoscaling();
        gw.getSpec().autoscaling.maxReplicas = 8;
        client.resource(gw).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> statefulSet("p13") != null
                && client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("p13").withName("gw").get() != null);
        assertThat(statefulSet("p13").getSpec().getReplicas()).as("left to the HPA from the start").isNull();

        MockCluster.edit(client.apps().statefulSets().inNamespace("p13").withName("gw"), x -> { // what the HPA does
            x.getSpec().setReplicas(5);
            return x;
        });
        // a spec change updates the StatefulSet; new pod figures reconcile the gateway again
        MockCluster.edit(client.resources(LLMGateway.class).inNamespace("p13").withName("gw"), g -> {
            g.getSpec().podLabels = Map.of("team", "platform");
            return g;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> statefulSet("p13").getSpec().getTemplate().getMetadata().getLabels().containsKey("team"));
        // (after the update: the mock server, unlike an API server, lets an update overwrite a StatefulSet's status)
        podsReady("p13", 5);

        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(5).equals(llmGateway("p13").getStatus().readyReplicas));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> statefulSet("p13").getSpec().getReplicas() == 5);
    }

    @Test
    void aNewJournalSizeReplacesTheStatefulSetWhosePodsKeepRunning() {
        platform("p14", LLMGatewaySpec.AllowedNamespaces.From.Same);
        await().atMost(Duration.ofSeconds(20)).until(() -> statefulSet("p14") != null);
        String uid = statefulSet("p14").getMetadata().getUid();

        MockCluster.edit(client.resources(LLMGateway.class).inNamespace("p14").withName("gw"), g -> {
            g.getSpec().journal.size = "5Gi";
            g.getSpec().journal.storageClassName = "fast-ssd";
            return g;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            StatefulSet sts = statefulSet("p14"); // read once: between the old one's deletion and the new one's creation there is none
            return sts != null && !uid.equals(sts.getMetadata().getUid());
        });
        var claim = statefulSet("p14").getSpec().getVolumeClaimTemplates().getFirst().getSpec();
        assertThat(claim.getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
        assertThat(claim.getStorageClassName()).isEqualTo("fast-ssd");
    }

    @Test
    void aDeploymentFromBeforeTheStatefulSetGoesOnceItsPodsAreReady() {
        platform("p15", LLMGatewaySpec.AllowedNamespaces.From.Same);
        await().atMost(Duration.ofSeconds(20)).until(() -> statefulSet("p15") != null && llmGateway("p15").getStatus() != null);
        LLMGateway gw = llmGateway("p15");
        // what an operator before the StatefulSet left behind
        client.resource(new DeploymentBuilder().withNewMetadata().withNamespace("p15").withName("gw").addNewOwnerReference()
                .withApiVersion(gw.getApiVersion()).withKind(gw.getKind()).withName("gw").withUid(gw.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withNewSelector().withMatchLabels(Labels.selector(gw)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Labels.selector(gw)).endMetadata().withNewSpec().addNewContainer()
                .withName("gateway").withImage("gateway:old").endContainer().endSpec().endTemplate().endSpec().build()).create();
        // an unrelated Secret reconciles the gateway while its StatefulSet's pods are not ready
        client.resource(MockCluster.secret("p15", "unrelated", Map.of("a", "b"))).create();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> client.apps().deployments().inNamespace("p15").withName("gw").get() != null);

        podsReady("p15", 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().deployments().inNamespace("p15").withName("gw").get() == null);
    }

    @Test
    void metricsCountReconciliationsOfEveryControllerBesideTheJvm() throws Exception {
        platform("p16", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(MockCluster.virtualKey("p16", "app", "p16", "gw")).create();
        client.resource(MockCluster.teamBudget("p16", "budget", "p16", "gw", "10")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.isTrue(vk("p16", "app").getStatus(), Conditions.READY)
                && client.resources(TeamBudget.class).inNamespace("p16").withName("budget").get().getStatus() != null);

        try (OperatorHttp http = OperatorHttp.start(operator, 0)) {
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build();
            // JOSDK's names (MicrometerMetricsV2), one series per controller: the @ControllerConfiguration names
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String body = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                for (String controller : List.of("llmgateway", "modelroute", "virtualkey", "teambudget")) {
                    assertThat(body).containsPattern("\\nreconciliations_started_total\\{controller_name=\"" + controller + "\"} [1-9]")
                            .containsPattern("\\nreconciliations_success_total\\{controller_name=\"" + controller + "\"} [1-9]");
                }
                assertThat(body).contains("\njvm_memory_used_bytes{", "\njvm_gc_pause_seconds", "\njvm_threads_live_threads ",
                        "\nsystem_cpu_count ", "\ntollgate_operator_healthy 1.0");
            });
        }
    }

    /** A gateway pod as the kubelet would report it (the mock server runs no kubelet): labels of the StatefulSet's template. */
    private static Pod gatewayPod(String ns, String name, io.fabric8.kubernetes.api.model.PodStatus status) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(Labels.owned(llmGateway(ns))).endMetadata()
                .withNewSpec().addNewContainer().withName("gateway").withImage("gateway:bad").endContainer().endSpec()
                .withStatus(status).build();
    }

    @Test
    void aGatewayWhosePodCannotPullItsImageIsDegradedUntilThePodRecovers() {
        platform("p17", LLMGatewaySpec.AllowedNamespaces.From.Same);
        await().atMost(Duration.ofSeconds(20)).until(() -> llmGateway("p17") != null && llmGateway("p17").getStatus() != null);
        assertThat(Conditions.find(llmGateway("p17").getStatus().conditions, Conditions.DEGRADED).getStatus()).isEqualTo("False");
        podsReady("p17", 1);

        client.resource(gatewayPod("p17", "gw-1", new PodStatusBuilder().addNewContainerStatus().withName("gateway").withImage("gateway:bad")
                .withReady(false).withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState().endContainerStatus()
                .build())).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.isTrue(llmGateway("p17").getStatus(), Conditions.DEGRADED));
        Condition degraded = Conditions.find(llmGateway("p17").getStatus().conditions, Conditions.DEGRADED);
        assertThat(degraded.getReason()).isEqualTo("ImagePullFailed");
        assertThat(degraded.getMessage()).contains("container gateway of pod gw-1", "\"gateway:bad\"");
        Condition ready = Conditions.find(llmGateway("p17").getStatus().conditions, Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("ImagePullFailed");

        // a fixed image whose pod then fails its readiness probe for longer than the rollout deadline
        String since = Instant.now().minus(GatewayPods.ROLLOUT_DEADLINE).minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        client.pods().inNamespace("p17").withName("gw-1").editStatus(p -> new PodBuilder(p).withNewStatus()
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(since).endCondition()
                .addNewContainerStatus().withName("gateway").withImage("gateway:fixed").withReady(false)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build());
        await().atMost(Duration.ofSeconds(20)).until(() -> "RolloutStuck".equals(
                Conditions.find(llmGateway("p17").getStatus().conditions, Conditions.DEGRADED).getReason()));
        assertThat(Conditions.find(llmGateway("p17").getStatus().conditions, Conditions.DEGRADED).getMessage())
                .isEqualTo("pod gw-1 has not been Ready since " + since + " (deadline 10m): container gateway is running but not ready (readiness probe failing)");

        // the pod becomes Ready: no longer Degraded, and Ready once the StatefulSet counts it
        client.pods().inNamespace("p17").withName("gw-1").editStatus(p -> new PodBuilder(p).withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("gateway").withImage("gateway:fixed").withReady(true)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build());
        podsReady("p17", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.isTrue(llmGateway("p17").getStatus(), Conditions.READY));
        assertThat(Conditions.find(llmGateway("p17").getStatus().conditions, Conditions.DEGRADED).getStatus()).isEqualTo("False");
    }
}
