package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's permissions as the chart grants them: its RBAC objects rendered with the real Helm engine, resolved
 * into the rules that hold cluster-wide (ClusterRoleBindings) and those that hold in one namespace (RoleBindings).
 */
record ChartRbac(String serviceAccount, String releaseNamespace, List<PolicyRule> clusterWide, Map<String, List<PolicyRule>> byNamespace) {

    static final String RELEASE_NAMESPACE = "tollgate-system";

    /** @param watchNamespaces the chart's {@code watchNamespaces}; none renders the cluster-wide mode */
    static ChartRbac render(List<String> watchNamespaces) throws IOException {
        var cmd = new Helm(HelmChartTest.CHART).template().withName("tollgate").withNamespace(RELEASE_NAMESPACE).withKubeVersion("1.30.0");
        for (int i = 0; i < watchNamespaces.size(); i++) {
            cmd.set("watchNamespaces[" + i + "]", watchNamespaces.get(i));
        }
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(cmd.call())) {
            HelmChartTest.YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            });
        }
        String sa = docs.stream().filter(d -> "ServiceAccount".equals(d.path("kind").asText())).findFirst().orElseThrow()
                .path("metadata").path("name").asText();
        Map<String, List<PolicyRule>> roles = new HashMap<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("ClusterRole") || kind.equals("Role")) {
                List<PolicyRule> rules = new ArrayList<>();
                d.path("rules").forEach(r -> rules.add(Serialization.jsonMapper().convertValue(r, PolicyRule.class)));
                roles.put(kind + "/" + d.path("metadata").path("namespace").asText("") + "/" + d.path("metadata").path("name").asText(), rules);
            }
        }
        List<PolicyRule> clusterWide = new ArrayList<>();
        Map<String, List<PolicyRule>> byNamespace = new HashMap<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (!kind.endsWith("RoleBinding") || !bindsTo(d, sa)) {
                continue;
            }
            String ns = d.path("metadata").path("namespace").asText("");
            JsonNode ref = d.path("roleRef");
            String roleNs = ref.path("kind").asText().equals("Role") ? ns : "";
            List<PolicyRule> rules = roles.getOrDefault(ref.path("kind").asText() + "/" + roleNs + "/" + ref.path("name").asText(), List.of());
            if (kind.equals("ClusterRoleBinding")) {
                clusterWide.addAll(rules);
            } else {
                byNamespace.computeIfAbsent(ns, n -> new ArrayList<>()).addAll(rules);
            }
        }
        return new ChartRbac(sa, RELEASE_NAMESPACE, clusterWide, byNamespace);
    }

    private static boolean bindsTo(JsonNode binding, String serviceAccount) {
        for (JsonNode s : binding.path("subjects")) {
            if (s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(serviceAccount)
                    && s.path("namespace").asText().equals(RELEASE_NAMESPACE)) {
                return true;
            }
        }
        return false;
    }

    /** The rules that hold for a request in {@code namespace} (null: a cluster-scoped request or one across namespaces). */
    List<PolicyRule> rulesIn(String namespace) {
        List<PolicyRule> out = new ArrayList<>(clusterWide);
        if (namespace != null) {
            out.addAll(byNamespace.getOrDefault(namespace, List.of()));
        }
        return out;
    }
}
