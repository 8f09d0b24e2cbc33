package dev.tollgate.operator;

import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.VirtualKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static dev.tollgate.operator.MockCluster.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes Events a VirtualKey's app team sees in {@code kubectl describe virtualkey}: one per transition. The tests
 * use their own namespaces and run side by side.
 */
@Execution(ExecutionMode.CONCURRENT)
@EnableKubernetesMockClient(crud = true, https = false)
class VirtualKeyEventsTest {

    static KubernetesClient client;
    static TollgateOperator operator;

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrds(client);
        operator = new TollgateOperator().start(client, OperatorSettings.defaults().withSpendInterval(Duration.ZERO));
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static void platform(String ns) {
        MockCluster.platform(client, ns, LLMGatewaySpec.AllowedNamespaces.From.Same);
    }

    /** The Events about VirtualKey {@code name} as "type reason: message", sorted (their timestamps have seconds only). */
    private static List<String> events(String ns, String name) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "VirtualKey".equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).sorted().toList();
    }

    private static List<String> reasons(String ns, String name) {
        return events(ns, name).stream().map(e -> e.substring(0, e.indexOf(':'))).toList();
    }

    private static String event(String ns, String name, String reason) {
        return events(ns, name).stream().filter(e -> e.startsWith(reason + ":")).findFirst().orElseThrow();
    }

    private static String key(String ns, String name) {
        return decode(client.secrets().inNamespace(ns).withName(name + "-key").get(), "key");
    }

    private static void edit(String ns, String name, java.util.function.UnaryOperator<VirtualKey> change) {
        MockCluster.edit(client.resources(VirtualKey.class).inNamespace(ns).withName(name), change);
    }

    @Test
    void issuedRotatedSuspendedResumedEachOnceWithOnlyTheKeyHint() {
        platform("e1");
        client.resource(MockCluster.virtualKey("e1", "app", "e1", "gw")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> reasons("e1", "app").contains("Normal KeyIssued"));
        String first = key("e1", "app");
        assertThat(events("e1", "app")).containsExactly("Normal KeyIssued: key …" + first.substring(first.length() - 4)
                + " issued in Secret app-key for LLMGateway e1/gw");

        // reconciles with nothing to report (a label, a budget change) add no Event
        edit("e1", "app", v -> {
            v.getMetadata().getLabels().put("team", "search");
            v.getSpec().budget = CrdRefs.budget(new java.math.BigDecimal("9"), "monthly");
            return v;
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> reasons("e1", "app").size() == 1);

        edit("e1", "app", v -> {
            v.getMetadata().getAnnotations().put(VirtualKey.ROTATE_ANNOTATION, "now");
            return v;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> reasons("e1", "app").contains("Normal KeyRotated"));
        String second = key("e1", "app");
        assertThat(event("e1", "app", "Normal KeyRotated")).startsWith("Normal KeyRotated: key rotated: new key …" + second.substring(second.length() - 4)
                + " in Secret app-key; the previous key is accepted until ");

        edit("e1", "app", v -> {
            v.getSpec().suspended = true;
            return v;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> reasons("e1", "app").contains("Warning KeySuspended"));
        edit("e1", "app", v -> {
            v.getSpec().suspended = false;
            return v;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> reasons("e1", "app").contains("Normal KeyResumed"));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> reasons("e1", "app").equals(List.of(
                "Normal KeyIssued", "Normal KeyResumed", "Normal KeyRotated", "Warning KeySuspended")));
        assertThat(String.join("\n", events("e1", "app"))).doesNotContain(first).doesNotContain(second)
                .doesNotContain(first.substring(0, first.length() - 4)).doesNotContain(second.substring(0, second.length() - 4));
    }

    @Test
    void aKeyThatReachesItsExpiryGetsOneWarning() {
        platform("e2");
        VirtualKey vk = MockCluster.virtualKey("e2", "temp", "e2", "gw");
        String expiresAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS).toString();
        vk.getSpec().expiresAt = expiresAt;
        client.resource(vk).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> reasons("e2", "temp").contains("Normal KeyIssued"));

        await().atMost(Duration.ofSeconds(20)).until(() -> reasons("e2", "temp").contains("Warning KeyExpired"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> reasons("e2", "temp").size() == 2);
        assertThat(event("e2", "temp", "Warning KeyExpired")).startsWith("Warning KeyExpired: key …").endsWith(" expired at " + expiresAt + ": the gateway refuses it");
    }
}
