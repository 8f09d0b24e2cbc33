package dev.tollgate.operator;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.key.VirtualKeyReconciler;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.ReconcilerUtilsInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tollgate.operator.MockCluster.decode;
import static dev.tollgate.operator.MockCluster.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a VirtualKey, or the namespace holding it, never waits for the operator (no finalizer), and a deleted key
 * still stops working promptly. Each test starts its own operator, so one can run without it. The mock API server has
 * no garbage collector: the key Secret's deletion is shown by its ownerReference, not observed.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class VirtualKeyDeletionTest {

    static KubernetesClient client;
    private TollgateOperator operator;

    @BeforeAll
    static void crds() throws Exception {
        MockCluster.installCrds(client);
    }

    @AfterEach
    void stopOperator() {
        if (operator != null) {
            MockCluster.stopWhenQuiet(client, operator);
        }
    }

    private void startOperator() {
        operator = new TollgateOperator().start(client, OperatorSettings.defaults());
    }

    private static VirtualKey vk(String ns, String name) {
        return client.resources(VirtualKey.class).inNamespace(ns).withName(name).get();
    }

    private static void platform(String p) {
        MockCluster.platform(client, p, LLMGatewaySpec.AllowedNamespaces.From.All);
    }

    /** True when the gateway's snapshot accepts {@code plaintext} under any name, as the key or as a grace hash. */
    private static boolean accepts(String platform, String plaintext) {
        GatewayConfig cfg = snapshot(client, platform, "gw");
        String hash = KeyHashes.hash(plaintext);
        return cfg != null && cfg.keys().stream().anyMatch(k -> k.keyHash().equals(hash)
                || k.graceHashes().stream().map(KeyConfig.GraceHash::keyHash).anyMatch(hash::equals));
    }

    /** Creates the VirtualKey and waits until its Secret holds a key other than {@code unlike} that the snapshot accepts. */
    private static String issued(String ns, String name, String platform, String unlike) {
        client.resource(MockCluster.virtualKey(ns, name, platform, "gw")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String key = decode(client.secrets().inNamespace(ns).withName(name + "-key").get(), "key");
            return key != null && !key.equals(unlike) && accepts(platform, key);
        });
        return decode(client.secrets().inNamespace(ns).withName(name + "-key").get(), "key");
    }

    /** Starts the operator, platform {@code p} and namespace {@code p-team}; returns the key of VirtualKey app there. */
    private String appKeyWithOperator(String p) {
        startOperator();
        platform(p);
        MockCluster.namespace(client, p + "-team", Map.of());
        return issued(p + "-team", "app", p, null);
    }

    @Test
    void deletedKeyIsGoneAtOnceAndRefusedBySnapshotWithin5Seconds() {
        String key = appKeyWithOperator("d1");

        client.resources(VirtualKey.class).inNamespace("d1-team").withName("app").delete();

        assertThat(vk("d1-team", "app")).as("deleted without waiting for the operator").isNull();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> !accepts("d1", key));
        assertThat(snapshot(client, "d1", "gw").keys()).extracting(KeyConfig::name).doesNotContain("d1-team/app");
    }

    @Test
    void keyInANamespaceBeingDeletedIsHeldByNoFinalizerEvenWithTheOperatorGone() {
        appKeyWithOperator("d2");
        VirtualKey live = vk("d2-team", "app");
        Secret secret = client.secrets().inNamespace("d2-team").withName("app-key").get();
        MockCluster.stopWhenQuiet(client, operator);
        operator = null;

        // what the namespace controller does: delete the namespace, then every resource in it
        client.namespaces().withName("d2-team").delete();
        client.resources(VirtualKey.class).inNamespace("d2-team").withName("app").delete();

        assertThat(live.getMetadata().getFinalizers()).isNullOrEmpty();
        assertThat(vk("d2-team", "app")).as("gone although no operator runs").isNull();
        // the garbage collector deletes the key Secret with its owner (same namespace, controller reference)
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("VirtualKey");
            assertThat(o.getUid()).isEqualTo(live.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
    }

    @Test
    void virtualKeysOfAnEarlierOperatorLoseItsFinalizerAlsoWhenAlreadyTerminating() {
        assertThat(VirtualKeyReconciler.LEGACY_FINALIZER).isEqualTo(ReconcilerUtilsInternal.getDefaultFinalizerName(VirtualKey.class));
        platform("d3");
        MockCluster.namespace(client, "d3-team", Map.of());
        for (String name : List.of("live", "terminating")) {
            VirtualKey old = MockCluster.virtualKey("d3-team", name, "d3", "gw");
            old.getMetadata().setFinalizers(List.of(VirtualKeyReconciler.LEGACY_FINALIZER));
            client.resource(old).create();
        }
        // deleted while no operator ran: held in Terminating by the old finalizer
        client.resources(VirtualKey.class).inNamespace("d3-team").withName("terminating").delete();
        assertThat(vk("d3-team", "terminating").getMetadata().getDeletionTimestamp()).isNotNull();

        startOperator();

        await().atMost(Duration.ofSeconds(20)).until(() -> vk("d3-team", "terminating") == null);
        await().atMost(Duration.ofSeconds(20)).until(() -> vk("d3-team", "live").getStatus() != null
                && Conditions.isTrue(vk("d3-team", "live").getStatus(), Conditions.READY));
        assertThat(vk("d3-team", "live").getMetadata().getFinalizers()).isNullOrEmpty();
    }

    @Test
    void keyReCreatedUnderTheSameNameNeverInheritsTheDeletedKey() {
        String oldKey = appKeyWithOperator("d4");
        client.resources(VirtualKey.class).inNamespace("d4-team").withName("app").delete();
        // the mock has no garbage collector: the old Secret stays, as it does on a cluster for a moment

        issued("d4-team", "app", "d4", oldKey);

        await().atMost(Duration.ofSeconds(5)).until(() -> !accepts("d4", oldKey));
        assertThat(client.secrets().inNamespace("d4-team").withName("app-key").get().getMetadata().getOwnerReferences())
                .singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo(vk("d4-team", "app").getMetadata().getUid()));
    }
}
