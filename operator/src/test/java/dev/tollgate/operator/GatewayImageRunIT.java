package dev.tollgate.operator;

import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.operator.image.ContainerImage;
import dev.tollgate.operator.image.ContainerRun;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway image started exactly as the operator's rendered workload starts it in a pod: the samples in samples/k8s
 * are applied to the mock API server, the operator renders the gateway's pod template and config Secret, and the
 * image's root file system runs that container (image entrypoint + the template's args, its JAVA_TOOL_OPTIONS and
 * other env, the config Secret mounted read-only at its path, a read-only root, user 65532; see {@link ContainerRun}).
 * The gateway then follows its config Secret through the (mock) API server, writes its ledger to PostgreSQL, and
 * answers a chat completion from a fake OpenAI upstream with the key the operator generated.
 *
 * <p>Stands in for the cluster: the API server's address is given as KUBERNETES_MASTER (a pod finds it through
 * KUBERNETES_SERVICE_HOST and its service account), and the container's memory limit as the JVM's MaxRAM.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class GatewayImageRunIT {

    static final String PLATFORM = "tollgate-system";
    static final String TEAM = "team-search";

    static KubernetesClient client;
    static EmbeddedPostgres postgres;
    static FakeOpenAiUpstream upstream;
    static TollgateOperator operator;
    static ContainerImage image;
    static Process container;
    static Path scratch;

    @BeforeAll
    static void applySamplesAndStartTheGatewayContainer() throws Exception {
        MockCluster.installCrds(client);
        postgres = EmbeddedPostgres.builder().start();
        upstream = new FakeOpenAiUpstream();
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        for (Samples.Document doc : Samples.load()) {
            HasMetadata object = doc.object();
            if (object instanceof Deployment || object instanceof StatefulSet || object instanceof io.fabric8.kubernetes.api.model.Service) {
                continue; // the application and the trial database: this JVM runs their stand-ins
            }
            client.resource(Samples.pointedAt(object, jdbcUrl, "postgres", "", upstream.baseUrl())).create();
        }
        operator = new TollgateOperator().start(client, new OperatorSettings(Set.of(), Duration.ofSeconds(1), null, -1));
        await().atMost(Duration.ofSeconds(30)).until(() -> podTemplate() != null && secret(PLATFORM, "gateway-config") != null
                && secret(TEAM, "search-api-key") != null);

        PodTemplateSpec template = podTemplate();
        Container gateway = template.getSpec().getContainers().getFirst();
        image = ContainerImage.unpack(Path.of(System.getProperty("tollgate.root", ".."), "gateway", "target", "jib-image.tar"));
        scratch = Files.createTempDirectory("tollgate-pod-");
        ContainerRun run = new ContainerRun(image, template.getSpec(), gateway,
                (name, key) -> data(PLATFORM, name).get(key), name -> data(PLATFORM, name),
                Map.of("KUBERNETES_MASTER", client.getMasterUrl().toString(), "KUBERNETES_TRUST_CERTIFICATES", "true",
                        "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
                        "KUBERNETES_NAMESPACE", PLATFORM))
                .withClaimTemplates(claimTemplates());
        assertThat(gateway.getImage()).isEqualTo(dev.tollgate.api.BuildInfo.current().gatewayImage());
        container = run.start(scratch, scratch.resolve("gateway.log"));
        Http health = new Http(4000);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(container.isAlive()).as(() -> "the container exited: " + log()).isTrue();
                    try {
                        return health.get("/health/readiness", null).statusCode() == 200;
                    } catch (RuntimeException notListeningYet) {
                        return false;
                    }
                });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (container != null) {
            ContainerRun.stop(container, Duration.ofSeconds(40));
        }
        if (operator != null) {
            operator.stop();
        }
        if (image != null) {
            image.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theContainerRunsTheImagesEntrypointWithTheTemplatesArgsAndJvmFlags() throws Exception {
        Container gateway = podTemplate().getSpec().getContainers().getFirst();
        String cmdline = Files.readString(Path.of("/proc", String.valueOf(javaPid()), "cmdline")).replace('\0', ' ');

        assertThat(cmdline).startsWith(String.join(" ", image.entrypoint()) + " " + String.join(" ", gateway.getArgs()));
        String toolOptions = gateway.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        assertThat(Files.readString(Path.of("/proc", String.valueOf(javaPid()), "environ"))).contains("JAVA_TOOL_OPTIONS=" + toolOptions);
        assertThat(log()).contains("Picked up JAVA_TOOL_OPTIONS: " + toolOptions).doesNotContain("Unrecognized VM option");
        assertThat(Files.readString(Path.of("/proc", String.valueOf(javaPid()), "status"))).containsPattern("Uid:\\s+65532\\s");
    }

    @Test
    void theGatewayAnswersAChatCompletionWithTheGeneratedKeyAndWritesItsLedgerRow() throws Exception {
        String key = MockCluster.decode(client.secrets().inNamespace(TEAM).withName("search-api-key").get(), "key");

        HttpResponse<String> response = new Http(4000).post("/v1/chat/completions", key,
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("Hello from the fake upstream.");
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> ledgerKeyOf(requestId) != null);
        assertThat(ledgerKeyOf(requestId)).isEqualTo(TEAM + "/search-api");
    }

    private static String ledgerKeyOf(String requestId) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             var st = c.prepareStatement("SELECT key_name FROM ledger WHERE request_id = ?")) {
            st.setString(1, requestId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (org.postgresql.util.PSQLException e) {
            return null; // the gateway has not migrated the schema yet
        }
    }

    /** The rendered gateway workload's pod template: a StatefulSet (journal volume per pod) or a Deployment. */
    private static PodTemplateSpec podTemplate() {
        StatefulSet sts = client.apps().statefulSets().inNamespace(PLATFORM).withName("gateway").get();
        if (sts != null) {
            return sts.getSpec().getTemplate();
        }
        Deployment d = client.apps().deployments().inNamespace(PLATFORM).withName("gateway").get();
        return d == null ? null : d.getSpec().getTemplate();
    }

    private static List<String> claimTemplates() {
        StatefulSet sts = client.apps().statefulSets().inNamespace(PLATFORM).withName("gateway").get();
        return sts == null || sts.getSpec().getVolumeClaimTemplates() == null ? List.of()
                : sts.getSpec().getVolumeClaimTemplates().stream().map(PersistentVolumeClaim::getMetadata).map(m -> m.getName()).toList();
    }

    private static Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    private static Map<String, String> data(String ns, String name) {
        Secret s = secret(ns, name);
        if (s == null) {
            return null;
        }
        Map<String, String> out = new TreeMap<>();
        s.getData().keySet().forEach(k -> out.put(k, MockCluster.decode(s, k)));
        return out;
    }

    private static long javaPid() {
        return container.descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under the container: " + log())).pid();
    }

    private static String log() {
        try {
            return Files.readString(scratch.resolve("gateway.log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
