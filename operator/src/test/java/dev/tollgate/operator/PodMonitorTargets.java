package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The scrape targets a PodMonitor yields for one pod, computed the way Prometheus and the Prometheus Operator do it, so
 * a test can check the chart's PodMonitor against the pods the operator really renders:
 * <ul>
 *   <li>Prometheus' {@code kubernetes_sd_configs} role {@code pod}: one target per declared container port (one without
 *   port labels for a container that declares none), with {@code __meta_kubernetes_pod_container_port_name/number},
 *   {@code __meta_kubernetes_pod_annotation_<name>} and {@code __meta_kubernetes_pod_label_<name>} (names with every
 *   character outside {@code [a-zA-Z0-9_]} turned into {@code _});</li>
 *   <li>the Prometheus Operator: an endpoint's {@code port} becomes a {@code keep} on the port name, before the
 *   endpoint's own {@code relabelings};</li>
 *   <li>the relabel actions the chart uses: {@code keep}, {@code drop} (anchored regex on the source labels joined by
 *   {@code ;}), {@code keepequal}, {@code dropequal}. Any other action fails the test rather than being guessed.</li>
 * </ul>
 */
final class PodMonitorTargets {

    static final String PORT_NUMBER = "__meta_kubernetes_pod_container_port_number";

    private PodMonitorTargets() {
    }

    /** Every target of {@code podMonitor} for a pod made from {@code template}; empty when its selector misses the pod. */
    static List<Map<String, String>> of(JsonNode podMonitor, PodTemplateSpec template) {
        Map<String, String> podLabels = template.getMetadata().getLabels();
        boolean selected = podMonitor.path("spec").path("selector").path("matchLabels").properties().stream()
                .allMatch(e -> e.getValue().asText().equals(podLabels.get(e.getKey())));
        List<Map<String, String>> kept = new ArrayList<>();
        if (!selected) {
            return kept;
        }
        for (JsonNode endpoint : podMonitor.path("spec").path("podMetricsEndpoints")) {
            for (Map<String, String> target : discovered(template)) {
                if (endpoint.has("port") && !endpoint.path("port").asText().equals(target.get("__meta_kubernetes_pod_container_port_name"))) {
                    continue;
                }
                if (survives(target, endpoint.path("relabelings"))) {
                    target.put("__metrics_path__", endpoint.path("path").asText("/metrics"));
                    kept.add(target);
                }
            }
        }
        return kept;
    }

    private static List<Map<String, String>> discovered(PodTemplateSpec template) {
        Map<String, String> pod = new LinkedHashMap<>();
        template.getMetadata().getAnnotations().forEach((k, v) -> pod.put("__meta_kubernetes_pod_annotation_" + sanitize(k), v));
        template.getMetadata().getLabels().forEach((k, v) -> pod.put("__meta_kubernetes_pod_label_" + sanitize(k), v));
        List<Map<String, String>> targets = new ArrayList<>();
        for (Container c : template.getSpec().getContainers()) {
            List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
            if (ports.isEmpty()) {
                Map<String, String> t = new LinkedHashMap<>(pod);
                t.put("__meta_kubernetes_pod_container_name", c.getName());
                targets.add(t);
            }
            for (ContainerPort p : ports) {
                Map<String, String> t = new LinkedHashMap<>(pod);
                t.put("__meta_kubernetes_pod_container_name", c.getName());
                t.put("__meta_kubernetes_pod_container_port_name", p.getName() == null ? "" : p.getName());
                t.put(PORT_NUMBER, String.valueOf(p.getContainerPort()));
                targets.add(t);
            }
        }
        return targets;
    }

    private static boolean survives(Map<String, String> target, JsonNode relabelings) {
        for (JsonNode r : relabelings) {
            List<String> sources = new ArrayList<>();
            r.path("sourceLabels").forEach(l -> sources.add(target.getOrDefault(l.asText(), "")));
            String joined = String.join(";", sources);
            String action = r.path("action").asText("replace").toLowerCase(java.util.Locale.ROOT);
            boolean keep = switch (action) {
                case "keep" -> Pattern.matches(r.path("regex").asText("(.*)"), joined);
                case "drop" -> !Pattern.matches(r.path("regex").asText("(.*)"), joined);
                case "keepequal" -> joined.equals(target.getOrDefault(r.path("targetLabel").asText(), ""));
                case "dropequal" -> !joined.equals(target.getOrDefault(r.path("targetLabel").asText(), ""));
                default -> throw new AssertionError("relabel action not modelled by this test: " + action);
            };
            if (!keep) {
                return false;
            }
        }
        return true;
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
