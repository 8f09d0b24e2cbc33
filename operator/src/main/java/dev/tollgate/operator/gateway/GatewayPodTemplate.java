package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway pod: the user's scheduling fields ({@code imagePullSecrets}, {@code nodeSelector}, {@code tolerations},
 * {@code affinity}, {@code topologySpreadConstraints}, {@code priorityClassName}) as given, labels and annotations merged
 * with the operator's, and the config, tmp and journal volumes. The config version is deliberately not a pod
 * annotation: a new snapshot must not restart pods.
 */
final class GatewayPodTemplate {

    /**
     * Group of the journal volume when it is a claim: the kubelet makes the volume group-writable for it and adds it to
     * the container's groups, so any non-root user of the image can write there (many volume types are owned by root).
     */
    static final long JOURNAL_FS_GROUP = 65532L;

    private GatewayPodTemplate() {
    }

    /** @param defaultImage the image when the gateway names none */
    static PodTemplateSpec of(LLMGateway gw, String defaultImage) {
        LLMGatewaySpec spec = gw.getSpec();
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels(gw)).withAnnotations(annotations(spec)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(GatewayResources.serviceAccountName(gw))
                // the kubelet must not kill a pod that is still draining within its shutdown grace
                .withTerminationGracePeriodSeconds(SnapshotRenderer.security(spec.security).shutdownGrace().toSeconds() + 10)
                .withSecurityContext(securityContext(spec))
                .withImagePullSecrets(spec.imagePullSecrets)
                .withNodeSelector(spec.nodeSelector)
                .withTolerations(spec.tolerations)
                .withAffinity(spec.affinity)
                .withTopologySpreadConstraints(spread(gw))
                .withPriorityClassName(spec.priorityClassName)
                .withContainers(GatewayContainer.of(gw, defaultImage))
                .withVolumes(volumes(gw))
                .endSpec().build();
    }

    /** The user's podLabels under the operator's: the selector labels always win. */
    static Map<String, String> labels(LLMGateway gw) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (gw.getSpec().podLabels != null) {
            labels.putAll(gw.getSpec().podLabels);
        }
        labels.putAll(Labels.owned(gw));
        return labels;
    }

    /**
     * The operator's Prometheus scrape annotations (port following {@code security.managementPort}) under the user's
     * podAnnotations, which may override them, e.g. {@code prometheus.io/scrape: "false"} where a PodMonitor scrapes.
     */
    static Map<String, String> annotations(LLMGatewaySpec spec) {
        Integer managementPort = SnapshotRenderer.security(spec.security).managementPort();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", String.valueOf(managementPort == null ? GatewayResources.PORT : managementPort));
        annotations.put("prometheus.io/path", "/metrics");
        if (spec.podAnnotations != null) {
            annotations.putAll(spec.podAnnotations);
        }
        return annotations;
    }

    /**
     * The user's spread constraints; without them, and without a pod anti-affinity of the user's, a soft spread (maxSkew
     * 1, ScheduleAnyway) over zones and then nodes, so one node or zone going away takes as few gateway pods as it can
     * while a small cluster still schedules them all.
     */
    static List<TopologySpreadConstraint> spread(LLMGateway gw) {
        LLMGatewaySpec spec = gw.getSpec();
        if (spec.topologySpreadConstraints != null && !spec.topologySpreadConstraints.isEmpty()) {
            return spec.topologySpreadConstraints;
        }
        if (spec.affinity != null && spec.affinity.getPodAntiAffinity() != null) {
            return null;
        }
        List<TopologySpreadConstraint> spread = new ArrayList<>();
        for (String key : List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")) {
            spread.add(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey(key).withWhenUnsatisfiable("ScheduleAnyway")
                    .withNewLabelSelector().withMatchLabels(Labels.selector(gw)).endLabelSelector().build());
        }
        return spread;
    }

    private static PodSecurityContext securityContext(LLMGatewaySpec spec) {
        PodSecurityContextBuilder b = new PodSecurityContextBuilder().withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        if (JournalVolume.persistent(spec)) {
            b.withFsGroup(JOURNAL_FS_GROUP).withFsGroupChangePolicy("OnRootMismatch");
        }
        return b.build();
    }

    private static List<Volume> volumes(LLMGateway gw) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(GatewayContainer.CONFIG_VOLUME)
                .withNewSecret().withSecretName(GatewayResources.configSecretName(gw)).endSecret().build());
        volumes.add(new VolumeBuilder().withName(GatewayContainer.TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
        volumes.addAll(JournalVolume.podVolumes(gw.getSpec()));
        return volumes;
    }
}
