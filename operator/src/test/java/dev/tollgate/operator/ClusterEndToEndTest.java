package dev.tollgate.operator;

import dev.tollgate.api.config.ContentSettings;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.gateway.SnapshotRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static dev.tollgate.operator.MockCluster.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole cluster story in one JVM: Fabric8 mock API server (CRUD) + the operator + a gateway in cluster mode
 * following the config Secret the operator renders + a database of the JVM's embedded PostgreSQL as the shared ledger +
 * a fake OpenAI upstream over real HTTP. The samples in samples/k8s are applied with the upstream URL and database
 * swapped in.
 * The operator and the gateway share a hand-driven clock, so the rotation grace period ends when the test says so.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndTest {

    static final String PLATFORM = "tollgate-system";
    static final String TEAM = "team-search";
    static final String BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    static KubernetesClient client;
    static String ledgerUrl;
    static FakeOpenAiUpstream upstream;
    static MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
    static TollgateOperator operator;
    static Gateway gateway;
    static Http http;

    @BeforeAll
    static void startCluster() throws Exception {
        MockCluster.installCrds(client);
        ledgerUrl = SharedPostgres.newDatabase();
        upstream = new FakeOpenAiUpstream();
        env.putAll(Map.of(SnapshotRenderer.DB_URL_ENV, jdbcUrl(), SnapshotRenderer.DB_USERNAME_ENV, "postgres", SnapshotRenderer.DB_PASSWORD_ENV, ""));
        for (Samples.Document doc : Samples.load()) {
            client.resource(adapt(doc.object())).create();
        }
        operator = new TollgateOperator(clock).start(client, new OperatorSettings(Set.of(), Duration.ofMillis(500), null, -1));

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            GatewayConfig snapshot = snapshot();
            return snapshot != null && snapshot.routes().size() == 2 && snapshot.keys().size() == 2 && snapshot.teams().size() == 1;
        });
        gateway = Gateway.start(onFreeLocalPort(snapshot()), clock)
                .watchSecret(client, PLATFORM, "gateway-config", "config.yaml", env::get);
        http = new Http(gateway.port());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (operator != null) {
            operator.stop();
        }
        upstream.close();
    }

    /** What the gateway pod template's secretKeyRef env would supply in a pod. */
    private static final Map<String, String> env = new HashMap<>();

    /** The config Secret's snapshot as the gateway loads it, or null while there is none. */
    private static GatewayConfig snapshot() {
        String yaml = MockCluster.rawSnapshot(client, PLATFORM, "gateway");
        return yaml == null ? null : Gateway.loader(env::get).parse(yaml);
    }

    private static String jdbcUrl() {
        return ledgerUrl;
    }

    private static HasMetadata adapt(HasMetadata o) {
        return Samples.pointedAt(o, jdbcUrl(), "postgres", "", upstream.baseUrl());
    }

    /** The snapshot binds 0.0.0.0:4000 as in a pod; here the gateway takes a free port on loopback. */
    private static GatewayConfig onFreeLocalPort(GatewayConfig c) {
        GatewaySettings g = c.gateway();
        return new GatewayConfig(new GatewaySettings("127.0.0.1", 0, g.adminKeyHash(), g.maxBodyBytes(), g.replicas(), g.database(),
                g.ledger(), g.contentLogging(), null, GatewaySettings.DEFAULT_MAX_TOKENS, ContentSettings.defaults(), SecuritySettings.defaults(), null), c.routes(), c.keys(), c.teams());
    }

    private static String keyOf(String secretName) {
        return decode(client.secrets().inNamespace(TEAM).withName(secretName).get(), "key");
    }

    private static int call(String key) {
        return http.post("/v1/chat/completions", key, BODY).statusCode();
    }

    private static VirtualKey vk(String name) {
        return client.resources(VirtualKey.class).inNamespace(TEAM).withName(name).get();
    }

    private static TeamBudget team() {
        return client.resources(TeamBudget.class).inNamespace(TEAM).withName("search").get();
    }

    private static void editKey(String name, java.util.function.UnaryOperator<VirtualKey> edit) {
        MockCluster.edit(client.resources(VirtualKey.class).inNamespace(TEAM).withName(name), edit);
    }

    private static BigDecimal usd(String s) {
        return s == null ? BigDecimal.ZERO : new BigDecimal(s);
    }

    @Test
    @Order(1)
    void anApplicationCallsWithItsGeneratedKeyAndItsSpendReachesKeyAndTeamStatus() {
        String key = keyOf("search-api-key");
        assertThat(decode(client.secrets().inNamespace(TEAM).withName("search-api-key").get(), "baseUrl"))
                .isEqualTo("http://gateway.tollgate-system.svc:4000/v1");

        HttpResponse<String> response = http.post("/v1/chat/completions", key, BODY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Hello from the fake upstream.");
        // the provider key came from the provider Secret through the operator's snapshot
        assertThat(upstream.received()).last().extracting(FakeOpenAiUpstream.Received::authorization)
                .isEqualTo("Bearer sk-replace-with-your-openai-key");
        await().atMost(Duration.ofSeconds(20)).until(() -> vk("search-api").getStatus() != null
                && usd(vk("search-api").getStatus().spendUsd).signum() > 0
                && team().getStatus() != null && usd(team().getStatus().spendUsd).signum() > 0);
        VirtualKey vk = vk("search-api");
        assertThat(vk.getStatus().lastUsedAt).isNotNull();
        assertThat(usd(vk.getStatus().remainingUsd)).isLessThan(new BigDecimal("200"));
        assertThat(Conditions.find(vk.getStatus().conditions, Conditions.BUDGET_EXCEEDED).getStatus()).isEqualTo("False");
        // the batch key has not been used; the team's spend is the api key's spend
        assertThat(usd(team().getStatus().spendUsd)).isEqualByComparingTo(usd(vk.getStatus().spendUsd));
        assertThat(usd(vk("search-batch").getStatus() == null ? null : vk("search-batch").getStatus().spendUsd)).isZero();
    }

    @Test
    @Order(2)
    void aSuspendedKeyIsRefusedWithinTwoSecondsAndTheSameKeyWorksAgainWhenResumed() {
        String key = keyOf("search-batch-llm-key");
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        assertThat(http.post("/v1/chat/completions", key, body).statusCode()).isEqualTo(200);

        editKey("search-batch", v -> {
            v.getSpec().suspended = true;
            return v;
        });

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> http.post("/v1/chat/completions", key, body).statusCode() == 401);

        editKey("search-batch", v -> {
            v.getSpec().suspended = false;
            return v;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> http.post("/v1/chat/completions", key, body).statusCode() == 200);
        assertThat(keyOf("search-batch-llm-key")).isEqualTo(key);
    }

    @Test
    @Order(3)
    void aRotatedKeyIsReplacedAndTheOldOneWorksUntilTheGracePeriodEndsThenADeletedKeyIsRefused() {
        String oldKey = keyOf("search-api-key");
        assertThat(call(oldKey)).isEqualTo(200);

        editKey("search-api", v -> {
            v.getMetadata().getAnnotations().put(VirtualKey.ROTATE_ANNOTATION, "rotate-1");
            return v;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> !oldKey.equals(keyOf("search-api-key")));
        String newKey = keyOf("search-api-key");
        await().atMost(Duration.ofSeconds(10)).until(() -> call(newKey) == 200);
        assertThat(call(oldKey)).isEqualTo(200);

        clock.advance(Duration.ofMinutes(61)); // gracePeriod of search-api is 1h

        assertThat(call(oldKey)).isEqualTo(401);
        assertThat(http.post("/v1/chat/completions", oldKey, BODY).body()).contains("grace period has ended");
        assertThat(call(newKey)).isEqualTo(200);

        client.resources(VirtualKey.class).inNamespace(TEAM).withName("search-api").delete();

        // no finalizer: the VirtualKey is gone at once, and the re-rendered snapshot refuses its key
        assertThat(vk("search-api")).isNull();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> call(newKey) == 401);
        assertThat(snapshot().keys()).extracting(k -> k.name()).doesNotContain("team-search/search-api");
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1).equals(
                client.resources(LLMGateway.class).inNamespace(PLATFORM).withName("gateway").get().getStatus().keys));
    }
}
