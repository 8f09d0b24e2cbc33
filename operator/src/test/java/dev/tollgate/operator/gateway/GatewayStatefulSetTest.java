package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.operator.CrdRefs;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the operator renders for a gateway's pods, from the spec alone: no API server involved. */
class GatewayStatefulSetTest {

    private static LLMGateway gateway() {
        LLMGateway gw = new LLMGateway();
        gw.setMetadata(new ObjectMetaBuilder().withNamespace("platform").withName("gw").withUid("uid-1").build());
        gw.setSpec(new LLMGatewaySpec());
        return gw;
    }

    private static StatefulSet render(LLMGateway gw) {
        return new GatewayStatefulSet(LLMGatewaySpec.DEFAULT_IMAGE).desired(gw, null);
    }

    private static PodSpec pod(LLMGateway gw) {
        return render(gw).getSpec().getTemplate().getSpec();
    }

    @Test
    void aGatewayWithoutAnImageRunsTheOperatorsDefaultImageAndOneWithAnImageRunsItsOwn() {
        String mirror = "registry.example.com/tollgate-gateway@sha256:" + "c".repeat(64);
        LLMGateway gw = gateway();

        assertThat(new GatewayStatefulSet(mirror).desired(gw, null).getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo(mirror);
        gw.getSpec().image = "example.org/own:1";
        assertThat(new GatewayStatefulSet(mirror).desired(gw, null).getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("example.org/own:1");
        assertThat(LLMGatewaySpec.DEFAULT_IMAGE).as("without TOLLGATE_GATEWAY_IMAGE: the image this build produces")
                .isEqualTo(dev.tollgate.api.BuildInfo.current().gatewayImage());
    }

    @Test
    void jsonLogFormatSetsTheGatewaysLogFormatVariableAndTextLeavesItOut() {
        LLMGateway gw = gateway();
        assertThat(pod(gw).getContainers().getFirst().getEnv()).noneMatch(e -> e.getName().equals("TOLLGATE_LOG_FORMAT"));

        gw.getSpec().logFormat = LLMGatewaySpec.LogFormat.Json;
        assertThat(pod(gw).getContainers().getFirst().getEnv()).filteredOn(e -> e.getName().equals("TOLLGATE_LOG_FORMAT"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("json"));

        gw.getSpec().logFormat = LLMGatewaySpec.LogFormat.Text;
        assertThat(pod(gw).getContainers().getFirst().getEnv()).noneMatch(e -> e.getName().equals("TOLLGATE_LOG_FORMAT"));
    }

    @Test
    void collectorHeadersComeFromTheirSecretAsTheOtlpHeadersVariable() {
        LLMGateway gw = gateway();
        gw.getSpec().tracing = new LLMGatewaySpec.Tracing();
        gw.getSpec().tracing.endpoint = "https://otlp.example.com/v1/traces";
        assertThat(pod(gw).getContainers().getFirst().getEnv()).noneMatch(e -> e.getName().startsWith("OTEL_"));

        gw.getSpec().tracing.headersSecretRef = CrdRefs.secretKeyRef("otlp", "headers");
        assertThat(pod(gw).getContainers().getFirst().getEnv()).filteredOn(e -> e.getName().equals("OTEL_EXPORTER_OTLP_TRACES_HEADERS"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("otlp");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("headers");
                });
    }

    @Test
    void everyPodFieldOfTheSpecReachesThePodTemplate() {
        LLMGateway gw = gateway();
        LLMGatewaySpec spec = gw.getSpec();
        spec.imagePullSecrets = List.of(new LocalObjectReference("registry-creds"));
        spec.nodeSelector = Map.of("pool", "gateways");
        spec.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("llm").withEffect("NoSchedule").build());
        spec.affinity = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("arch").withOperator("In").withValues("amd64").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        spec.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder().withMaxSkew(2).withTopologyKey("rack")
                .withWhenUnsatisfiable("DoNotSchedule").build());
        spec.priorityClassName = "platform-critical";
        spec.podLabels = Map.of("team", "platform");
        spec.podAnnotations = Map.of("example.com/owner", "platform");

        StatefulSet sts = render(gw);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();

        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("registry-creds");
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "gateways"));
        assertThat(pod.getTolerations()).isEqualTo(spec.tolerations);
        assertThat(pod.getAffinity()).isEqualTo(spec.affinity);
        assertThat(pod.getTopologySpreadConstraints()).isEqualTo(spec.topologySpreadConstraints);
        assertThat(pod.getPriorityClassName()).isEqualTo("platform-critical");
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "platform");
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/owner", "platform")
                .containsEntry("prometheus.io/scrape", "true");
    }

    @Test
    void podLabelsCannotBreakTheSelector() {
        LLMGateway gw = gateway();
        // as stored before the CRD's rule, or on an API server that does not evaluate CEL
        gw.getSpec().podLabels = Map.of("app.kubernetes.io/instance", "other", "app.kubernetes.io/name", "mine", "team", "platform");

        StatefulSet sts = render(gw);

        Map<String, String> labels = sts.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsAllEntriesOf(Labels.owned(gw)).containsEntry("team", "platform");
        assertThat(labels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void theCrdRefusesPodLabelsForEveryLabelTheOperatorSets() throws IOException {
        JsonNode crd = new YAMLMapper().readTree(Path.of(System.getProperty("tollgate.root", ".."), "crds", "llmgateways.tollgate.dev-v1.yml").toFile());
        String rule = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/podLabels/x-kubernetes-validations/0/rule").asText();

        assertThat(Labels.owned(gateway()).keySet()).allSatisfy(label -> assertThat(rule).contains("'" + label + "'"));
    }

    @Test
    void podAnnotationsMergeWithThePrometheusOnesAndMayOverrideThem() {
        LLMGateway gw = gateway();
        gw.getSpec().security = new LLMGatewaySpec.Security();
        gw.getSpec().security.managementPort = 9090;
        gw.getSpec().podAnnotations = Map.of("prometheus.io/scrape", "false", "example.com/owner", "platform");

        Map<String, String> annotations = render(gw).getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(annotations).containsEntry("prometheus.io/scrape", "false").containsEntry("prometheus.io/port", "9090")
                .containsEntry("prometheus.io/path", "/metrics").containsEntry("example.com/owner", "platform");
    }

    @Test
    void withoutSpreadConstraintsPodsSpreadSoftlyOverZonesAndNodes() {
        List<TopologySpreadConstraint> spread = pod(gateway()).getTopologySpreadConstraints();

        assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey).containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(spread).allSatisfy(c -> {
            assertThat(c.getMaxSkew()).isEqualTo(1);
            assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(c.getLabelSelector().getMatchLabels()).isEqualTo(Labels.selector(gateway()));
        });
    }

    @Test
    void aPodAntiAffinityOfTheUsersReplacesTheDefaultSpread() {
        LLMGateway gw = gateway();
        gw.getSpec().affinity = new AffinityBuilder().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().withMatchLabels(Labels.selector(gw)).endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();

        assertThat(pod(gw).getTopologySpreadConstraints()).isNullOrEmpty();
        assertThat(pod(gw).getAffinity()).isEqualTo(gw.getSpec().affinity);
    }

    @Test
    void theJournalIsAClaimPerPodByDefault() {
        StatefulSet sts = render(gateway());

        PersistentVolumeClaim claim = sts.getSpec().getVolumeClaimTemplates().getFirst();
        assertThat(sts.getSpec().getVolumeClaimTemplates()).hasSize(1);
        assertThat(claim.getMetadata().getName()).isEqualTo("journal");
        assertThat(claim.getMetadata().getLabels()).as("kubectl get pvc -l finds a gateway's claims").isEqualTo(Labels.selector(gateway()));
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
        assertThat(claim.getSpec().getStorageClassName()).as("the cluster's default class").isNull();
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).doesNotContain("journal");
        assertThat(pod.getContainers().getFirst().getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getName() + " " + m.getMountPath()).isEqualTo("journal /var/lib/tollgate"));
        assertThat(pod.getSecurityContext().getFsGroup()).as("a root-owned volume is writable by the non-root user").isNotNull();
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
    }

    @Test
    void theClaimTakesTheSizeAndStorageClassOfTheSpec() {
        LLMGateway gw = gateway();
        gw.getSpec().journal.size = "10240Mi";
        gw.getSpec().journal.storageClassName = "fast-ssd";

        PersistentVolumeClaim claim = render(gw).getSpec().getVolumeClaimTemplates().getFirst();

        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).as("as the API server writes it back").isEqualTo("10Gi");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
    }

    @Test
    void anEmptyDirJournalIsAPodVolumeAndNoClaim() {
        LLMGateway gw = gateway();
        gw.getSpec().journal.storage = LLMGatewaySpec.Journal.Storage.EmptyDir;

        StatefulSet sts = render(gw);

        assertThat(sts.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getName().equals("journal") && v.getEmptyDir() != null).isTrue());
    }

    @Test
    void podsStartInParallelRollOneByOneAndHaveAHeadlessService() {
        StatefulSet sts = render(gateway());

        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(sts.getSpec().getServiceName()).isEqualTo(GatewayService.headless().name(gateway())).isEqualTo("gw-headless");
        assertThat(GatewayService.headless().desired(gateway(), null).getSpec().getClusterIP()).isEqualTo("None");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void underAnAutoscalerTheHpaTargetsTheStatefulSetAndTheOperatorLeavesReplicasAlone() {
        LLMGateway gw = gateway();
        gw.getSpec().autoscaling = new LLMGatewaySpec.Autoscaling();
        gw.getSpec().autoscaling.maxReplicas = 6;

        HorizontalPodAutoscaler hpa = new GatewayAutoscaler().desired(gw, null);

        assertThat(render(gw).getSpec().getReplicas()).isNull();
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(render(gw).getMetadata().getName());
    }

    @Test
    void anUpdateUnderAnAutoscalerKeepsTheReplicasTheHpaChose() {
        LLMGateway gw = gateway();
        gw.getSpec().autoscaling = new LLMGatewaySpec.Autoscaling();
        gw.getSpec().autoscaling.maxReplicas = 6;
        StatefulSet actual = render(gw);
        actual.getSpec().setReplicas(5);
        StatefulSet desired = render(gw);

        new GatewayStatefulSet(LLMGatewaySpec.DEFAULT_IMAGE).keepLive(actual, desired);

        assertThat(desired.getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void fixedReplicasAreTheSpecsWhateverTheLiveObjectSays() {
        StatefulSet actual = render(gateway());
        actual.getSpec().setReplicas(5);
        StatefulSet desired = render(gateway());

        new GatewayStatefulSet(LLMGatewaySpec.DEFAULT_IMAGE).keepLive(actual, desired);

        assertThat(desired.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void aSizeSpelledDifferentlyIsNoChangeButANewSizeOrClassReplacesTheStatefulSet() {
        LLMGateway gw = gateway();
        StatefulSet actual = render(gw);
        actual.getSpec().getVolumeClaimTemplates().getFirst().getSpec().getResources().getRequests().put("storage", new Quantity("1024Mi"));
        GatewayStatefulSet sts = new GatewayStatefulSet(LLMGatewaySpec.DEFAULT_IMAGE);

        assertThat(sts.mustReplace(actual, render(gw))).isFalse();
        gw.getSpec().journal.size = "2Gi";
        assertThat(sts.mustReplace(actual, render(gw))).isTrue();
        gw.getSpec().journal.size = "1Gi";
        gw.getSpec().journal.storageClassName = "fast-ssd";
        assertThat(sts.mustReplace(actual, render(gw))).isTrue();
        gw.getSpec().journal.storage = LLMGatewaySpec.Journal.Storage.EmptyDir;
        assertThat(sts.mustReplace(actual, render(gw))).isTrue();
    }

    @Test
    void aTemplateChangeIsAnUpdateNotAReplacement() {
        LLMGateway gw = gateway();
        StatefulSet actual = render(gw);
        gw.getSpec().priorityClassName = "platform-critical";
        gw.getSpec().replicas = 4;

        assertThat(new GatewayStatefulSet(LLMGatewaySpec.DEFAULT_IMAGE).mustReplace(actual, render(gw))).isFalse();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"1Gi, 1Gi", "1024Mi, 1Gi", "1536Mi, 1536Mi", "1048576Ki, 1Gi", "2000M, 2G", "1000, 1k", "1073741824, 1073741824", "10G, 10G"})
    void sizesAreWrittenAsTheApiServerWritesThemBack(String size, String canonical) {
        assertThat(JournalVolume.canonical(size)).isEqualTo(canonical);
    }

    @Test
    void theHeadlessAndTheClientServiceSelectTheSamePods() {
        List<Map<String, String>> selectors = new ArrayList<>();
        for (GatewayService s : List.of(GatewayService.forClients(), GatewayService.headless())) {
            selectors.add(s.desired(gateway(), null).getSpec().getSelector());
        }
        assertThat(selectors).containsOnly(render(gateway()).getSpec().getSelector().getMatchLabels());
    }
}
