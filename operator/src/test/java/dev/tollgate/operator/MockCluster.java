package dev.tollgate.operator;

import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteSpec;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.TeamBudgetSpec;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.api.crd.VirtualKeySpec;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/** Test fixtures: CRDs loaded into the mock API server, and builders for the four kinds. */
final class MockCluster {

    /** Kept referenced so the level sticks: the mock server logs every request at INFO. */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private MockCluster() {
    }

    static void installCrds(KubernetesClient client) throws IOException {
        Path dir = Path.of(System.getProperty("tollgate.root", ".."), "crds");
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    client.apiextensions().v1().customResourceDefinitions().load(in).createOr(c -> c.update());
                }
            }
        }
    }

    /**
     * Edits a resource as {@code kubectl edit} does: on its latest version, and again when the operator wrote it
     * (its status) in between and the server answered 409 Conflict. {@code change} may run more than once.
     */
    static <T extends HasMetadata> void edit(Resource<T> resource, java.util.function.UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                resource.edit(change);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stops {@code operator} once the mock API server has stored nothing new for half a second. Stopped while the mock
     * was still sending watch events, it wedged the mock's event loop for ~30 s in 5 of 14 runs (kubernetes-server-mock
     * 7.9 waits on that loop, in WatchEventsListener.onClosed, for the closed watch's pending sends).
     */
    static void stopWhenQuiet(KubernetesClient client, TollgateOperator operator) {
        String[] seen = {null};
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> {
            String now = client.namespaces().list().getMetadata().getResourceVersion(); // the mock's last write
            boolean same = now.equals(seen[0]);
            seen[0] = now;
            return same;
        });
        operator.stop();
    }

    static void namespace(KubernetesClient client, String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .createOr(c -> c.update());
    }

    /** Platform namespace {@code ns} with gateway {@code gw} admitting {@code from}, and one mock route serving gpt-4o-mini. */
    static void platform(KubernetesClient client, String ns, LLMGatewaySpec.AllowedNamespaces.From from) {
        namespace(client, ns, Map.of());
        client.resource(gateway(ns, "gw", from)).create();
        client.resource(mockRoute(ns, "fast", "gw", "gpt-4o-mini")).create();
    }

    static LLMGateway gateway(String ns, String name, LLMGatewaySpec.AllowedNamespaces.From from) {
        LLMGateway gw = new LLMGateway();
        gw.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        gw.setSpec(new LLMGatewaySpec());
        gw.getSpec().replicas = 2;
        gw.getSpec().allowedNamespaces.from = from;
        return gw;
    }

    /** A gateway of {@code ns} admitting only its namespace, whose ledger database is in Secret {@code secretName}. */
    static LLMGateway gatewayWithLedger(String ns, String name, String secretName) {
        LLMGateway gw = gateway(ns, name, LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().database = new LLMGatewaySpec.Database();
        gw.getSpec().database.secretName = secretName;
        return gw;
    }

    static ModelRoute mockRoute(String ns, String name, String gateway, String model) {
        ModelRoute r = new ModelRoute();
        r.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        r.setSpec(new ModelRouteSpec());
        r.getSpec().gatewayRef = CrdRefs.localRef(gateway);
        r.getSpec().model = model;
        ModelRouteSpec.Backend b = new ModelRouteSpec.Backend();
        b.name = "mock";
        b.provider = "mock";
        b.model = "mock-" + model;
        r.getSpec().backends = List.of(b);
        return r;
    }

    static ModelRoute openAiRoute(String ns, String name, String gateway, String model, String secret, String key) {
        ModelRoute r = mockRoute(ns, name, gateway, model);
        ModelRouteSpec.Backend b = new ModelRouteSpec.Backend();
        b.name = "openai";
        b.provider = "openai";
        b.model = model;
        b.baseUrl = "https://api.openai.com/v1";
        b.credentialSecretRef = CrdRefs.secretKeyRef(secret, key);
        r.getSpec().backends = List.of(b);
        return r;
    }

    static VirtualKey virtualKey(String ns, String name, String gatewayNs, String gateway) {
        VirtualKey vk = new VirtualKey();
        vk.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        vk.setSpec(new VirtualKeySpec());
        vk.getSpec().gatewayRef = CrdRefs.gatewayRef(gateway, gatewayNs);
        vk.getSpec().budget = CrdRefs.budget(new BigDecimal("5"), "monthly");
        return vk;
    }

    static TeamBudget teamBudget(String ns, String name, String gatewayNs, String gateway, String amount) {
        TeamBudget tb = new TeamBudget();
        tb.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        tb.setSpec(new TeamBudgetSpec());
        tb.getSpec().gatewayRef = CrdRefs.gatewayRef(gateway, gatewayNs);
        tb.getSpec().amountUsd = new BigDecimal(amount);
        return tb;
    }

    /** A user's Secret labelled {@code tollgate.dev/watch=true}, as the operator needs every Secret it reads to be. */
    static Secret secret(String ns, String name, Map<String, String> plain) {
        Secret s = unlabelledSecret(ns, name, plain);
        s.getMetadata().setLabels(Map.of(Labels.WATCH, "true"));
        return s;
    }

    static Secret unlabelledSecret(String ns, String name, Map<String, String> plain) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata();
        plain.forEach((k, v) -> b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return b.build();
    }

    static String decode(Secret s, String key) {
        return s == null || s.getData() == null || s.getData().get(key) == null ? null
                : new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    /** The gateway's snapshot as the gateway would load it, or null while there is none. */
    static GatewayConfig snapshot(KubernetesClient client, String ns, String gateway) {
        String yaml = rawSnapshot(client, ns, gateway);
        return yaml == null ? null : new ConfigLoader(v -> "placeholder", Set.of(), Map.of(), null).parse(yaml);
    }

    static String rawSnapshot(KubernetesClient client, String ns, String gateway) {
        return decode(client.secrets().inNamespace(ns).withName(gateway + "-config").get(), "config.yaml");
    }
}
