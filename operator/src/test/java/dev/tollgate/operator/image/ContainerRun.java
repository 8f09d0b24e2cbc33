package dev.tollgate.operator.image;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Starts a container of a pod spec from an unpacked image the way a kubelet and its runtime would, without a
 * container engine (none runs on our machines): a private mount namespace ({@code unshare}), the image's root file
 * system read-only when the container asks for it, each volume mounted at its path (Secret volumes as one file per key,
 * emptyDir and claim volumes as fresh directories the pod's user owns, as fsGroup makes them), /proc and /dev, then
 * {@code nsenter --root} with the image's user (or the pod's runAsUser), working directory, entrypoint (or the
 * container's command), the container's args, and the image's env overlaid with the container's env (secretKeyRef
 * values resolved as the kubelet does).
 *
 * <p>What a cgroup would tell the JVM is given as {@code -XX:MaxRAM} (JDK_JAVA_OPTIONS, which leaves JAVA_TOOL_OPTIONS
 * as the pod sets it): the container's memory limit. The network is the host's, as with hostNetwork. Needs root.
 */
public final class ContainerRun {

    private final ContainerImage image;
    private final PodSpec pod;
    private final Container container;
    private final BiFunction<String, String, String> secretValue;
    private final Function<String, Map<String, String>> secretData;
    private final Map<String, String> platformEnv;

    /**
     * @param secretValue  (secret name, key) → value, for env secretKeyRef; null when absent
     * @param secretData   secret name → all its keys, for Secret volumes
     * @param platformEnv  what the platform adds to every container (in a cluster, the API server's address)
     */
    public ContainerRun(ContainerImage image, PodSpec pod, Container container, BiFunction<String, String, String> secretValue,
                        Function<String, Map<String, String>> secretData, Map<String, String> platformEnv) {
        this.image = image;
        this.pod = pod;
        this.container = container;
        this.secretValue = secretValue;
        this.secretData = secretData;
        this.platformEnv = platformEnv;
    }

    /** The exact command line the container runs: entrypoint (or command) followed by args. */
    public List<String> commandLine() {
        List<String> line = new ArrayList<>(container.getCommand() == null || container.getCommand().isEmpty()
                ? image.entrypoint() : container.getCommand());
        if (container.getArgs() != null) {
            line.addAll(container.getArgs());
        }
        return line;
    }

    /** The container's environment: the image's, then the container's (resolved), then the platform's. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : image.env()) {
            int eq = e.indexOf('=');
            env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        for (EnvVar v : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            if (v.getValueFrom() == null) {
                env.put(v.getName(), v.getValue());
            } else if (v.getValueFrom().getSecretKeyRef() != null) {
                var ref = v.getValueFrom().getSecretKeyRef();
                String value = secretValue.apply(ref.getName(), ref.getKey());
                if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new IllegalStateException("env " + v.getName() + ": Secret " + ref.getName() + " has no key " + ref.getKey()
                            + " (a kubelet would not start the container: CreateContainerConfigError)");
                }
                if (value != null) {
                    env.put(v.getName(), value);
                }
            } else {
                throw new IllegalStateException("env " + v.getName() + ": only value and secretKeyRef are supported here");
            }
        }
        env.putAll(platformEnv);
        Quantity memory = container.getResources() == null || container.getResources().getLimits() == null ? null
                : container.getResources().getLimits().get("memory");
        if (memory != null) {
            env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAM=" + Quantity.getAmountInBytes(memory).toBigInteger());
        }
        return env;
    }

    /** Starts the container; its output goes to {@code log}. */
    public Process start(Path scratch, Path log) throws IOException {
        Path root = image.rootfs();
        String uid = user();
        StringBuilder script = new StringBuilder("set -e\n");
        script.append("R=").append(quote(root.toString())).append('\n');
        script.append("mount --bind \"$R\" \"$R\"\nmkdir -p \"$R/proc\" \"$R/dev\"\n");
        List<String> mounts = new ArrayList<>();
        for (VolumeMount m : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
            Path source = volumeSource(scratch, m, uid);
            script.append("mkdir -p \"$R\"").append(quote(m.getMountPath())).append('\n');
            mounts.add("mount --bind " + quote(source.toString()) + " \"$R\"" + quote(m.getMountPath()) + "\n"
                    + (Boolean.TRUE.equals(m.getReadOnly()) ? "mount -o remount,bind,ro \"$R\"" + quote(m.getMountPath()) + "\n" : ""));
        }
        script.append("mount --bind /proc \"$R/proc\"\nmount --rbind /dev \"$R/dev\"\n");
        if (container.getSecurityContext() != null && Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem())) {
            script.append("mount -o remount,bind,ro \"$R\"\n");
        }
        mounts.forEach(script::append);
        String workDir = container.getWorkingDir() != null ? container.getWorkingDir() : image.runConfig().path("WorkingDir").asText("/");
        String[] ids = uid.split(":");
        script.append("exec nsenter --root=\"$R\" --wd=\"$R\"").append(quote(workDir))
                .append(" -S ").append(ids[0]).append(" -G ").append(ids.length > 1 ? ids[1] : ids[0]);
        for (String arg : commandLine()) {
            script.append(' ').append(quote(arg));
        }
        script.append('\n');
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--fork", "--kill-child=SIGTERM",
                "sh", "-c", script.toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(environment());
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Stops a started container as a kubelet does: SIGTERM to the app (unshare itself ignores it while it waits), then,
     * after {@code grace}, SIGKILL to whatever is left.
     */
    public static void stop(Process container, java.time.Duration grace) {
        container.descendants().forEach(ProcessHandle::destroy);
        try {
            container.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            container.descendants().forEach(ProcessHandle::destroyForcibly);
            container.destroyForcibly();
        }
    }

    /** {@code uid:gid}: the pod's or container's runAsUser/runAsGroup, else the image's User. */
    String user() {
        Long runAs = null;
        Long group = null;
        if (pod.getSecurityContext() != null) {
            runAs = pod.getSecurityContext().getRunAsUser();
            group = pod.getSecurityContext().getRunAsGroup();
        }
        if (container.getSecurityContext() != null && container.getSecurityContext().getRunAsUser() != null) {
            runAs = container.getSecurityContext().getRunAsUser();
            group = container.getSecurityContext().getRunAsGroup() != null ? container.getSecurityContext().getRunAsGroup() : group;
        }
        String imageUser = image.runConfig().path("User").asText("0:0");
        if (runAs == null) {
            return imageUser;
        }
        return runAs + ":" + (group != null ? group : runAs);
    }

    private Path volumeSource(Path scratch, VolumeMount m, String uid) throws IOException {
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                .or(() -> claimTemplateVolume(m.getName()))
                .orElseThrow(() -> new IllegalStateException("volumeMount " + m.getName() + " names no volume of the pod"));
        Path dir = Files.createDirectories(scratch.resolve("volumes").resolve(v.getName()));
        if (v.getSecret() != null) {
            Map<String, String> data = secretData.apply(v.getSecret().getSecretName());
            if (data == null) {
                throw new IllegalStateException("volume " + v.getName() + ": Secret " + v.getSecret().getSecretName()
                        + " does not exist (the pod would stay ContainerCreating)");
            }
            for (var e : data.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            ContainerImage.run(List.of("chmod", "-R", "a+rX", dir.toString()));
        } else {
            // emptyDir, or a claim from a volumeClaimTemplate: a fresh directory the pod's user may write (fsGroup)
            ContainerImage.run(List.of("chown", uid, dir.toString()));
        }
        return dir;
    }

    /** StatefulSet volumes from volumeClaimTemplates are not in the pod's volumes; a mount may name one. */
    private Optional<Volume> claimTemplateVolume(String name) {
        return claimTemplates.contains(name) ? Optional.of(new VolumeBuilder().withName(name).build()) : Optional.empty();
    }

    private List<String> claimTemplates = List.of();

    /** Names of the workload's volumeClaimTemplates (a StatefulSet's); their mounts get fresh directories. */
    public ContainerRun withClaimTemplates(List<String> names) {
        this.claimTemplates = List.copyOf(names);
        return this;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
