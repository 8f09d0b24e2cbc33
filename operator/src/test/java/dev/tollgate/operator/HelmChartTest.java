package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.tollgate.api.BuildInfo;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.operator.spend.BudgetGauges;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The chart helm/tollgate through the real Helm engine (helm-java): lint, and template with default and other values.
 * The mock API server is only for checking the PodMonitor against gateway pods the operator renders.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class HelmChartTest {

    static KubernetesClient client;

    static final Path CHART = Path.of(System.getProperty("tollgate.root", ".."), "helm", "tollgate");
    static final ObjectMapper YAML = new YAMLMapper();

    /** Renderings by values file ("" for the defaults): each is rendered once per class and only read. */
    private static final Map<String, List<JsonNode>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The chart rendered with {@code valuesFile} (a test resource) when not null. */
    private static List<JsonNode> template(String valuesFile) throws Exception {
        String key = valuesFile == null ? "" : valuesFile;
        List<JsonNode> docs = RENDERED.get(key);
        if (docs == null) {
            docs = render(valuesFile);
            RENDERED.put(key, docs);
        }
        return docs;
    }

    private static List<JsonNode> render(String valuesFile) throws Exception {
        var cmd = new Helm(CHART).template().withName("tollgate").withNamespace("tollgate-system").withKubeVersion("1.30.0");
        if (valuesFile != null) {
            cmd.withValuesFile(Path.of(HelmChartTest.class.getResource(valuesFile).toURI()));
        }
        String out = cmd.call();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(out)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return List.copyOf(docs);
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static JsonNode one(List<JsonNode> docs, String kind) {
        assertThat(ofKind(docs, kind)).as(kind).hasSize(1);
        return ofKind(docs, kind).getFirst();
    }

    /** "group/resource" → verbs, merged over all rules. */
    private static Map<String, Set<String>> verbs(JsonNode role) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode r : role.path("rules")) {
            PolicyRule rule = Serialization.jsonMapper().convertValue(r, PolicyRule.class);
            for (String g : rule.getApiGroups()) {
                for (String res : rule.getResources()) {
                    out.computeIfAbsent(g + "/" + res, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return out;
    }

    /** The verbs docs/operator.md lists for the namespaced kinds. */
    static final Map<String, Set<String>> NAMESPACED_VERBS = Map.ofEntries(
            Map.entry("tollgate.dev/llmgateways", Set.of("get", "list", "watch", "update", "patch")),
            Map.entry("tollgate.dev/modelroutes", Set.of("get", "list", "watch", "update", "patch")),
            Map.entry("tollgate.dev/virtualkeys", Set.of("get", "list", "watch", "update", "patch")),
            Map.entry("tollgate.dev/teambudgets", Set.of("get", "list", "watch", "update", "patch")),
            Map.entry("tollgate.dev/llmgateways/status", Set.of("get", "update", "patch")),
            Map.entry("tollgate.dev/modelroutes/status", Set.of("get", "update", "patch")),
            Map.entry("tollgate.dev/virtualkeys/status", Set.of("get", "update", "patch")),
            Map.entry("tollgate.dev/teambudgets/status", Set.of("get", "update", "patch")),
            Map.entry("tollgate.dev/llmgateways/finalizers", Set.of("update")),
            Map.entry("tollgate.dev/virtualkeys/finalizers", Set.of("update")),
            Map.entry("/secrets", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("/serviceaccounts", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("/services", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("/events", Set.of("create")),
            Map.entry("/pods", Set.of("get", "list", "watch")),
            Map.entry("rbac.authorization.k8s.io/roles", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("rbac.authorization.k8s.io/rolebindings", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("apps/statefulsets", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("apps/deployments", Set.of("get", "delete")),
            Map.entry("policy/poddisruptionbudgets", Set.of("get", "list", "watch", "create", "update", "delete")),
            Map.entry("autoscaling/horizontalpodautoscalers", Set.of("get", "list", "watch", "create", "update", "delete")));

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode e : container.path("env")) {
            out.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "from:" + e.path("valueFrom").toString());
        }
        return out;
    }

    @Test
    void chartLintsClean() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultValuesRenderAClusterWideOperatorWithLeaderElectionAndNoOptionalObjects() throws Exception {
        List<JsonNode> docs = template(null);

        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactlyInAnyOrder(
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment",
                "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition");
        JsonNode container = one(docs, "Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        // exactly the images this build produces (Jib's image names come from the same properties as BuildInfo)
        assertThat(container.path("image").asText()).isEqualTo(BuildInfo.current().operatorImage());
        assertThat(env(container)).containsEntry("TOLLGATE_GATEWAY_IMAGE", BuildInfo.current().gatewayImage());
        JsonNode podSpec = one(docs, "Deployment").path("spec").path("template").path("spec");
        assertThat(podSpec.has("priorityClassName")).isFalse();
        assertThat(podSpec.has("topologySpreadConstraints")).isFalse();
        assertThat(podSpec.has("imagePullSecrets")).isFalse();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(env(container)).containsEntry("TOLLGATE_WATCH_NAMESPACES", "").containsEntry("TOLLGATE_SPEND_INTERVAL", "15s")
                .containsEntry("TOLLGATE_RESYNC_INTERVAL", "5m")
                .containsEntry("TOLLGATE_HTTP_PORT", "8080").containsEntry("TOLLGATE_LOG_FORMAT", "text")
                .hasEntrySatisfying("TOLLGATE_LEADER_ELECTION_NAMESPACE", v -> assertThat(v).contains("metadata.namespace"));
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("512Mi");
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(one(docs, "Deployment").path("spec").path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo(one(docs, "ServiceAccount").path("metadata").path("name").asText());

        Map<String, Set<String>> cluster = verbs(one(docs, "ClusterRole"));
        Map<String, Set<String>> expected = new TreeMap<>(NAMESPACED_VERBS);
        expected.put("/namespaces", Set.of("get"));
        assertThat(cluster).isEqualTo(expected);
        assertThat(verbs(one(docs, "Role"))).isEqualTo(Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch")));
        assertThat(one(docs, "ClusterRoleBinding").path("subjects").get(0).path("namespace").asText()).isEqualTo("tollgate-system");
    }

    @Test
    void selectedNamespacesGetARoleEachAndEveryOptionalObjectAppearsWhenEnabled() throws Exception {
        List<JsonNode> docs = template("/helm/non-default-values.yaml");

        List<JsonNode> roles = ofKind(docs, "Role");
        assertThat(roles).extracting(r -> r.path("metadata").path("namespace").asText()).containsExactlyInAnyOrder("tollgate-system", "team-search");
        roles.forEach(r -> assertThat(verbs(r)).isEqualTo(NAMESPACED_VERBS));
        assertThat(ofKind(docs, "RoleBinding")).hasSize(2);
        assertThat(verbs(one(docs, "ClusterRole"))).isEqualTo(Map.of("/namespaces", Set.of("get")));

        JsonNode container = one(docs, "Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("registry.example.com/tollgate-operator:1.2.3");
        assertThat(env(container)).containsEntry("TOLLGATE_GATEWAY_IMAGE", "registry.example.com/tollgate-gateway:1.2.3");
        JsonNode deployment = one(docs, "Deployment");
        JsonNode podSpec = deployment.path("spec").path("template").path("spec");
        assertThat(podSpec.path("priorityClassName").asText()).isEqualTo("tollgate-critical");
        assertThat(podSpec.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("registry-credentials");
        assertThat(podSpec.path("topologySpreadConstraints")).hasSize(1);
        assertThat(podSpec.path("topologySpreadConstraints").get(0).path("topologyKey").asText()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(podSpec.path("topologySpreadConstraints").get(0).path("labelSelector").path("matchLabels"))
                .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("1Gi");
        assertThat(env(container)).containsEntry("TOLLGATE_WATCH_NAMESPACES", "tollgate-system,team-search")
                .containsEntry("TOLLGATE_SPEND_INTERVAL", "30s").containsEntry("TOLLGATE_RESYNC_INTERVAL", "2m").doesNotContainKey("TOLLGATE_LEADER_ELECTION_NAMESPACE")
                .containsEntry("TOLLGATE_LOG_FORMAT", "json");

        assertThat(one(docs, "ServiceMonitor").path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        assertThat(one(docs, "PodMonitor").path("spec").path("namespaceSelector").path("matchNames"))
                .extracting(JsonNode::asText).containsExactly("tollgate-system", "team-search");

        JsonNode rule = one(docs, "PrometheusRule");
        List<JsonNode> alerts = StreamSupport.stream(rule.path("spec").path("groups").spliterator(), false)
                .flatMap(g -> StreamSupport.stream(g.path("rules").spliterator(), false)).toList();
        assertThat(alerts).extracting(a -> a.path("alert").asText()).contains("TollgateSpendSpike", "TollgateErrorRateHigh",
                "TollgateUpstreamErrors", "TollgateBudgetHigh", "TollgateBudgetExhausted", "TollgateSpendLedgerUnreachable",
                "TollgateGatewayBudgetHigh", "TollgateCircuitBreakerOpen", "TollgateLedgerWriteFailures", "TollgateLedgerLag",
                "TollgateLedgerSpillPending");
        assertThat(alerts).filteredOn(a -> a.path("alert").asText().equals("TollgateSpendLedgerUnreachable")).singleElement()
                .satisfies(a -> assertThat(a.path("expr").asText()).contains("tollgate_spend_reads_total{result=\"failed\"}")
                        .contains("unless").contains("by (gateway_namespace, gateway)"));
        assertThat(alerts).filteredOn(a -> a.path("alert").asText().equals("TollgateBudgetHigh")).singleElement()
                .satisfies(a -> assertThat(a.path("expr").asText()).contains("tollgate_budget_used_ratio").contains(">= 80"));
        assertThat(alerts).filteredOn(a -> a.path("alert").asText().equals("TollgateErrorRateHigh")).singleElement()
                .satisfies(a -> assertThat(a.path("expr").asText()).contains("status=~\"5..\""));

        JsonNode dashboardMap = ofKind(docs, "ConfigMap").stream().filter(c -> c.path("data").has("tollgate.json")).findFirst().orElseThrow();
        assertThat(dashboardMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        JsonNode dashboard = new ObjectMapper().readTree(dashboardMap.path("data").path("tollgate.json").asText());
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(19);
        assertThat(dashboard.path("panels").findValuesAsText("title")).contains("Spend (USD per hour) by key, top 20",
                "Circuit breakers open (by backend)", "Ledger lag (oldest unwritten row) and queue", "Ledger write failures and spilled rows");

        JsonNode argo = ofKind(docs, "ConfigMap").stream().filter(c -> c.path("metadata").path("name").asText().endsWith("argocd-health"))
                .findFirst().orElseThrow();
        assertThat(argo.path("data").fieldNames()).toIterable().containsExactlyInAnyOrder(
                "resource.customizations.health.tollgate.dev_LLMGateway", "resource.customizations.health.tollgate.dev_ModelRoute",
                "resource.customizations.health.tollgate.dev_VirtualKey", "resource.customizations.health.tollgate.dev_TeamBudget");
        assertThat(argo.path("data").path("resource.customizations.health.tollgate.dev_VirtualKey").asText())
                .contains("observedGeneration").contains("\"Healthy\"").contains("\"Progressing\"").contains("\"Degraded\"");

        // every metric the alerts and the dashboard query is one the gateway or the operator really exports
        Set<String> exported = exportedMetricNames();
        List<String> queries = new ArrayList<>();
        alerts.forEach(a -> queries.add(a.path("expr").asText()));
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("tollgate_[a-z_]+").matcher(String.join("\n", queries));
        while (m.find()) {
            used.add(m.group());
        }
        assertThat(used).isNotEmpty().allSatisfy(name -> assertThat(exported).contains(name));
    }

    @Test
    void aDigestPinsEachImageAndWinsOverItsTag() throws Exception {
        String operatorDigest = "sha256:" + "a".repeat(64);
        String gatewayDigest = "sha256:" + "b".repeat(64);
        String out = new Helm(CHART).template().withName("tollgate").withNamespace("tollgate-system").withKubeVersion("1.30.0")
                .set("image.tag", "9.9.9").set("image.digest", operatorDigest)
                .set("gatewayImage.repository", "mirror.example.com/tollgate-gateway").set("gatewayImage.digest", gatewayDigest)
                .call();
        JsonNode container = YAML.readValues(new YAMLFactory().createParser(out), JsonNode.class).readAll().stream()
                .filter(d -> d != null && "Deployment".equals(d.path("kind").asText())).findFirst().orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0);

        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/tollgate-dev/tollgate-operator@" + operatorDigest);
        assertThat(env(container)).containsEntry("TOLLGATE_GATEWAY_IMAGE", "mirror.example.com/tollgate-gateway@" + gatewayDigest);
    }

    @Test
    void aDigestThatIsNoDigestStopsTheRender() {
        var cmd = new Helm(CHART).template().withName("tollgate").withNamespace("tollgate-system").withKubeVersion("1.30.0")
                .set("gatewayImage.digest", "latest");

        assertThatThrownBy(cmd::call)
                .hasMessageContaining("gatewayImage.digest must be <algorithm>:<hex>");
    }

    /**
     * Helm applies a chart's crds/ directory on the first install only, never on upgrade; templates it applies on install
     * and on every upgrade. So the CRDs are templates, equal to the generated ones, and kept when the release goes.
     */
    @Test
    void crdsAreTemplatesSoEveryUpgradeAppliesTheGeneratedSchemaAndUninstallKeepsThem() throws Exception {
        Map<String, JsonNode> generated = generatedCrds();

        List<JsonNode> crds = ofKind(template(null), "CustomResourceDefinition");

        assertThat(CHART.resolve("crds")).as("Helm's install-only CRD directory").doesNotExist();
        assertThat(crds).extracting(c -> c.path("metadata").path("name").asText()).containsExactlyInAnyOrderElementsOf(generated.keySet());
        for (JsonNode crd : crds) {
            JsonNode source = generated.get(crd.path("metadata").path("name").asText());
            assertThat(crd.path("apiVersion")).isEqualTo(source.path("apiVersion"));
            // equal as JSON, which is what the API server keeps: Helm writes the generator's 1000.0 as 1000
            assertThat(crd.path("spec").equals(SAME_NUMBER, source.path("spec"))).as(crd.path("metadata").path("name").asText()).isTrue();
            assertThat(crd.path("metadata").path("annotations").path("helm.sh/resource-policy").asText()).isEqualTo("keep");
            assertThat(crd.path("metadata").path("labels").path("app.kubernetes.io/instance").asText()).isEqualTo("tollgate");
        }
    }

    @Test
    void crdsCanBeLeftToSomeoneElseOrDeletedWithTheRelease() throws Exception {
        var cmd = new Helm(CHART).template().withName("tollgate").withNamespace("tollgate-system").withKubeVersion("1.30.0");

        assertThat(cmd.set("crds.enabled", "false").call()).doesNotContain("CustomResourceDefinition");
        String notKept = new Helm(CHART).template().withName("tollgate").withNamespace("tollgate-system").withKubeVersion("1.30.0")
                .set("crds.keep", "false").call();
        assertThat(notKept.split("kind: CustomResourceDefinition", -1)).hasSize(5);
        assertThat(notKept).doesNotContain("helm.sh/resource-policy");
    }

    /** JsonNode order in which numbers compare by value, whatever their Java type. */
    private static final java.util.Comparator<JsonNode> SAME_NUMBER = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);

    /** CRD name → the CRD the build generated from api/ (crds/ at the repository root; CrdYamlTest keeps it fresh). */
    private static Map<String, JsonNode> generatedCrds() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (var files = java.nio.file.Files.list(CHART.resolve("../../crds").normalize())) {
            for (Path f : files.sorted().toList()) {
                JsonNode crd = YAML.readTree(f.toFile());
                out.put(crd.path("metadata").path("name").asText(), crd);
            }
        }
        return out;
    }

    @Test
    void podMonitorScrapesEachGatewayPodOnceOnThePortServingMetrics() throws Exception {
        JsonNode podMonitor = one(template("/helm/non-default-values.yaml"), "PodMonitor");
        MockCluster.installCrds(client);
        MockCluster.namespace(client, "tollgate-system", Map.of());
        LLMGateway plain = MockCluster.gateway("tollgate-system", "plain", LLMGatewaySpec.AllowedNamespaces.From.Same);
        LLMGateway managed = MockCluster.gateway("tollgate-system", "managed", LLMGatewaySpec.AllowedNamespaces.From.Same);
        managed.getSpec().security = new LLMGatewaySpec.Security();
        managed.getSpec().security.managementPort = 9191;
        client.resource(plain).create();
        client.resource(managed).create();

        try (TollgateOperator operator = new TollgateOperator().start(client, OperatorSettings.defaults())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> gatewayPods("plain") != null && gatewayPods("managed") != null);
            MockCluster.stopWhenQuiet(client, operator);
        }

        // /metrics is on the management port only, 9090 unless the LLMGateway names another (the API port answers 404)
        assertThat(PodMonitorTargets.of(podMonitor, gatewayPods("plain"))).singleElement()
                .satisfies(t -> assertThat(t).containsEntry(PodMonitorTargets.PORT_NUMBER, "9090").containsEntry("__metrics_path__", "/metrics"));
        assertThat(PodMonitorTargets.of(podMonitor, gatewayPods("managed"))).singleElement()
                .satisfies(t -> assertThat(t).containsEntry(PodMonitorTargets.PORT_NUMBER, "9191").containsEntry("__metrics_path__", "/metrics"));
    }

    /** The pod template of a gateway's workload in tollgate-system, whichever apps/v1 kind runs it; null before it exists. */
    private static PodTemplateSpec gatewayPods(String gateway) {
        var deployment = client.apps().deployments().inNamespace("tollgate-system").withName(gateway).get();
        if (deployment != null) {
            return deployment.getSpec().getTemplate();
        }
        var statefulSet = client.apps().statefulSets().inNamespace("tollgate-system").withName(gateway).get();
        return statefulSet == null ? null : statefulSet.getSpec().getTemplate();
    }

    @Test
    void operatorUnhealthyAlsoFiresWhenNoOperatorTargetIsUp() throws Exception {
        List<JsonNode> docs = template("/helm/non-default-values.yaml");
        // the Prometheus Operator names a ServiceMonitor's job after the Service it scrapes (no jobLabel set)
        JsonNode serviceMonitor = one(docs, "ServiceMonitor");
        assertThat(serviceMonitor.path("spec").has("jobLabel")).isFalse();
        JsonNode service = one(docs, "Service");
        assertThat(service.path("metadata").path("labels").properties())
                .containsAll(serviceMonitor.path("spec").path("selector").path("matchLabels").properties());
        String scrapeJob = "job=\"" + service.path("metadata").path("name").asText() + "\",namespace=\"tollgate-system\"";

        String expr = alert(docs, "TollgateOperatorUnhealthy").path("expr").asText();

        assertThat(expr).contains("max(tollgate_operator_healthy{" + scrapeJob + "}) < 1")
                .contains("or absent(up{" + scrapeJob + "} == 1)");
        String otherJob = new Helm(CHART).template().withName("tollgate").withNamespace("tollgate-system").withKubeVersion("1.30.0")
                .set("prometheusRule.enabled", "true").set("prometheusRule.operatorJob", "kubernetes-pods").call();
        assertThat(otherJob).contains("absent(up{job=\"kubernetes-pods\",namespace=\"tollgate-system\"} == 1)");
    }

    private static JsonNode alert(List<JsonNode> docs, String name) {
        return StreamSupport.stream(one(docs, "PrometheusRule").path("spec").path("groups").spliterator(), false)
                .flatMap(g -> StreamSupport.stream(g.path("rules").spliterator(), false))
                .filter(a -> name.equals(a.path("alert").asText())).findFirst().orElseThrow();
    }

    /**
     * Metric names in the Prometheus text of a real standalone gateway that served a budgeted, rate-limited key, retried
     * and fell back after upstream errors, and refused a request; and of the operator.
     */
    private static Set<String> exportedMetricNames() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-metric-names");
        String key = "sk-tg-metric-names-key-1";
        String yaml = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  database: { url: "jdbc:sqlite:%s" }
                  ledger: { flushInterval: 50ms }
                routes:
                  - model: chat
                    backends: [{ name: mock-chat, provider: mock, model: mock-1, pricing: { inputPerMillion: 1, outputPerMillion: 2 } }]
                  - model: broken
                    retries: 1
                    backoff: { initial: 1ms, max: 2ms }
                    fallbacks: [chat]
                    backends:
                      - { name: gone-1, provider: openai, model: gpt-4o-mini, baseUrl: "http://127.0.0.1:1/v1", apiKey: x }
                      - { name: gone-2, provider: openai, model: gpt-4o-mini, baseUrl: "http://127.0.0.1:1/v1", apiKey: x }
                teams: [{ name: red, budget: { amountUsd: 10, period: monthly } }]
                keys: [{ name: app, team: red, key: %s, limits: { rpm: 100 }, budget: { amountUsd: 5, period: monthly } }]
                """.formatted(dir.resolve("ledger.db").toString().replace('\\', '/'), key);
        String gatewayText;
        try (Gateway g = Gateway.start(
                Gateway.loader(Map.<String, String>of()::get).parse(yaml), Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            String ask = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            for (String body : new String[] {"{\"model\":\"chat\"," + ask, "{\"model\":\"chat\",\"stream\":true," + ask,
                    "{\"model\":\"broken\"," + ask}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(body).isEqualTo(200);
            }
            g.metrics().rejected(401, "invalid_api_key");
            g.ledger().flush();
            gatewayText = g.metrics().scrape();
        }
        TollgateOperator operator = new TollgateOperator();
        io.micrometer.core.instrument.Gauge.builder(BudgetGauges.NAME, () -> 0.5).register(operator.metrics());
        io.micrometer.core.instrument.Counter.builder("tollgate.spend.reads").tag("result", "failed").register(operator.metrics()).increment();
        Set<String> names = new TreeSet<>();
        for (String line : (gatewayText + operator.metrics().scrape()).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]")[0]);
            }
        }
        return names;
    }
}
