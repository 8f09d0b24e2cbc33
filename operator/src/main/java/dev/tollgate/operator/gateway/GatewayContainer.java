package dev.tollgate.operator.gateway;

import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway container: the config Secret read from /etc/tollgate (the gateway re-reads the file when the kubelet
 * refreshes it), database and Redis credentials as env from their Secrets, health probes on port 4000, the journal
 * volume at /var/lib/tollgate, a read-only root filesystem.
 */
final class GatewayContainer {

    static final String CONFIG_VOLUME = "config";
    static final String TMP_VOLUME = "tmp";

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

    private GatewayContainer() {
    }

    /** @param defaultImage the image when the gateway names none */
    static Container of(LLMGateway gw, String defaultImage) {
        LLMGatewaySpec spec = gw.getSpec();
        SecuritySettings security = SnapshotRenderer.security(spec.security);
        return new ContainerBuilder()
                .withName("gateway").withImage(spec.imageOr(defaultImage))
                .withArgs("--config", GatewayResources.CONFIG_DIR + "/" + GatewayResources.CONFIG_KEY,
                        "--watch-secret", gw.getMetadata().getNamespace() + "/" + GatewayResources.configSecretName(gw))
                .addNewPort().withName("http").withContainerPort(GatewayResources.PORT).withProtocol("TCP").endPort()
                .addAllToPorts(security.managementPort() == null ? List.of() : List.of(new ContainerPortBuilder()
                        .withName("management").withContainerPort(security.managementPort()).withProtocol("TCP").build()))
                .withEnv(env(spec))
                .withResources(resources(spec))
                .withLivenessProbe(probe("/health/liveness", 10, 6))
                .withReadinessProbe(probe("/health/readiness", 5, 3))
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName(CONFIG_VOLUME).withMountPath(GatewayResources.CONFIG_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName(JournalVolume.NAME).withMountPath(GatewayResources.JOURNAL_DIR).endVolumeMount()
                .build();
    }

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
        if (spec.tracing != null && spec.tracing.headersSecretRef != null) {
            // the gateway takes its collector headers from this variable when its tracing block names none
            env.add(secretEnv("OTEL_EXPORTER_OTLP_TRACES_HEADERS", spec.tracing.headersSecretRef.name, spec.tracing.headersSecretRef.key, false));
        }
        if (spec.logFormat == LLMGatewaySpec.LogFormat.Json) {
            env.add(new EnvVarBuilder().withName("TOLLGATE_LOG_FORMAT").withValue("json").build());
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
