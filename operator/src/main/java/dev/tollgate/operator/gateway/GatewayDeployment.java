package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.operator.Labels;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway pods: the config Secret mounted read-only at /etc/tollgate (the gateway re-reads the file when the
 * kubelet refreshes it), database credentials as env from the database Secret, health probes on port 4000, Prometheus
 * scrape annotations. The config version is deliberately not a pod annotation: a new snapshot must not restart pods.
 */
final class GatewayDeployment implements Owned<Deployment> {

    @Override
    public Class<Deployment> type() {
        return Deployment.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return gw.getMetadata().getName();
    }

    @Override
    public Deployment desired(LLMGateway gw, Snapshot snapshot) {
        LLMGatewaySpec spec = gw.getSpec();
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put("prometheus.io/scrape", "true");
        dev.tollgate.api.config.SecuritySettings security = SnapshotRenderer.security(spec.security);
        Integer managementPort = security.managementPort();
        podAnnotations.put("prometheus.io/port", String.valueOf(managementPort == null ? GatewayResources.PORT : managementPort));
        podAnnotations.put("prometheus.io/path", "/metrics");
        return new DeploymentBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewSpec()
                .withReplicas(spec.autoscaling != null ? null : (spec.replicas == null ? 2 : spec.replicas))
                .withNewSelector().withMatchLabels(Labels.selector(gw)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.owned(gw)).withAnnotations(podAnnotations).endMetadata()
                .withNewSpec()
                .withServiceAccountName(GatewayResources.serviceAccountName(gw))
                // the kubelet must not kill a pod that is still draining within its shutdown grace
                .withTerminationGracePeriodSeconds(security.shutdownGrace().toSeconds() + 10)
                .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer()
                .withName("gateway").withImage(spec.imageOrDefault())
                .withArgs("--config", GatewayResources.CONFIG_DIR + "/" + GatewayResources.CONFIG_KEY,
                        "--watch-secret", gw.getMetadata().getNamespace() + "/" + GatewayResources.configSecretName(gw))
                .addNewPort().withName("http").withContainerPort(GatewayResources.PORT).withProtocol("TCP").endPort()
                .addAllToPorts(managementPort == null ? List.of() : List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                        .withName("management").withContainerPort(managementPort).withProtocol("TCP").build()))
                .withEnv(env(spec))
                .withResources(resources(spec))
                .withLivenessProbe(probe("/health/liveness", 10, 6))
                .withReadinessProbe(probe("/health/readiness", 5, 3))
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("config").withMountPath(GatewayResources.CONFIG_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName("ledger-spill").withMountPath("/var/lib/tollgate").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config").withNewSecret().withSecretName(GatewayResources.configSecretName(gw)).endSecret().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("ledger-spill").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec().build();
    }

    /**
     * JVM settings of the gateway container, measured in bench/RESULTS.md (memory soak): the heap is a fixed share of
     * the container's memory limit and touched at start, so the pod's RSS is flat from its first minute instead of
     * creeping up as the old generation is first used; the parallel collector (the JVM would pick the serial one in
     * a container under 2 GiB); compact object headers (JDK 25, the image's runtime), 8-byte headers instead of 12,
     * which let 5,000 concurrent streams fit a 256 MiB heap (bench/RESULTS.md, streaming); glibc limited to two
     * malloc arenas, which otherwise grow with the number of threads.
     */
    static final String JAVA_TOOL_OPTIONS =
            "-XX:MaxRAMPercentage=35 -XX:InitialRAMPercentage=35 -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:+UseCompactObjectHeaders";

    private static List<EnvVar> env(LLMGatewaySpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue(JAVA_TOOL_OPTIONS).build());
        env.add(new EnvVarBuilder().withName("MALLOC_ARENA_MAX").withValue("2").build());
        if (spec.database != null) {
            env.add(secretEnv(SnapshotRenderer.DB_URL_ENV, spec.database.secretName, spec.database.urlKey, false));
            env.add(secretEnv(SnapshotRenderer.DB_USERNAME_ENV, spec.database.secretName, spec.database.usernameKey, true));
            env.add(secretEnv(SnapshotRenderer.DB_PASSWORD_ENV, spec.database.secretName, spec.database.passwordKey, true));
        }
        if (spec.redisUrlRef() != null) {
            env.add(secretEnv(SnapshotRenderer.REDIS_URL_ENV, spec.redisUrlRef().name, spec.redisUrlRef().key, false));
        }
        return env;
    }

    private static EnvVar secretEnv(String name, String secret, String key, boolean optional) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef(key, secret, optional).endValueFrom().build();
    }

    private static ResourceRequirements resources(LLMGatewaySpec spec) {
        if (spec.resources != null) {
            return spec.resources;
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("512Mi"))
                .addToLimits("memory", new Quantity("1Gi")).build();
    }

    private static Probe probe(String path, int period, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(period).withFailureThreshold(failures).withTimeoutSeconds(2).build();
    }
}
