package dev.tollgate.operator.gateway;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a gateway's pods as {@code kubectl describe pod} would and names what keeps the rollout from finishing: the
 * reason and message of the LLMGateway's {@code Degraded} condition. Pure: pods and a clock in, a verdict out.
 * <p>
 * Messages name the pod and container and never the current time or a restart count, so they stay the same from one
 * reconcile to the next and the status is patched only when the trouble changes.
 */
public final class GatewayPods {

    /**
     * A StatefulSet has no {@code progressDeadlineSeconds}; this is ours, with a Deployment's default: a gateway pod
     * that has not been Ready for this long (since its Ready condition last turned False, else since it was created)
     * stops the rollout, because a RollingUpdate replaces the next pod only once this one is Ready. Every pod that
     * becomes Ready restarts the clock, as progress restarts a Deployment's.
     */
    public static final Duration ROLLOUT_DEADLINE = Duration.ofMinutes(10);

    public static final String IMAGE_PULL_FAILED = "ImagePullFailed";
    public static final String CONTAINER_CONFIG_ERROR = "ContainerConfigError";
    public static final String CRASH_LOOPING = "CrashLooping";
    public static final String UNSCHEDULABLE = "Unschedulable";
    public static final String ROLLOUT_STUCK = "RolloutStuck";

    /** Most telling first: a pod that cannot pull its image is also not Ready, and that is the lesser news. */
    private static final List<String> SEVERITY = List.of(IMAGE_PULL_FAILED, CONTAINER_CONFIG_ERROR, CRASH_LOOPING, UNSCHEDULABLE, ROLLOUT_STUCK);
    private static final Set<String> IMAGE_PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");
    private static final Set<String> CONFIG_ERROR = Set.of("CreateContainerConfigError", "CreateContainerError");

    private GatewayPods() {
    }

    /** One pod's trouble. */
    public record Problem(String reason, String message) {
    }

    /**
     * What the pods of a gateway say about its readiness.
     *
     * @param problem   the worst problem over all pods (pods in name order break ties), or empty
     * @param recheckAt when a pod that is not Ready yet would pass the deadline (no pod event comes then), or null
     */
    public record Verdict(Optional<Problem> problem, int troubledPods, Instant recheckAt) {

        /** The condition message: the worst problem, and how many other pods have one. */
        public String message() {
            return problem.map(p -> troubledPods > 1 ? p.message() + " (and " + (troubledPods - 1) + " more pod"
                    + (troubledPods > 2 ? "s" : "") + " with problems)" : p.message()).orElse("no gateway pod reports a problem");
        }
    }

    public static Verdict assess(Collection<Pod> pods, Instant now) {
        List<Problem> problems = new ArrayList<>();
        Instant recheckAt = null;
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            Optional<Problem> problem = problem(pod, now);
            if (problem.isPresent()) {
                problems.add(problem.get());
            } else {
                Instant since = notReadySince(pod);
                if (since != null) {
                    Instant due = since.plus(ROLLOUT_DEADLINE);
                    recheckAt = recheckAt == null || due.isBefore(recheckAt) ? due : recheckAt;
                }
            }
        }
        Optional<Problem> worst = problems.stream().min(Comparator.comparingInt(p -> SEVERITY.indexOf(p.reason())));
        return new Verdict(worst, problems.size(), recheckAt);
    }

    static Optional<Problem> problem(Pod pod, Instant now) {
        String name = pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Instant deleting = Instant.parse(pod.getMetadata().getDeletionTimestamp());
            // the deletion timestamp is when the grace period ends
            return deleting.plus(ROLLOUT_DEADLINE).isAfter(now) ? Optional.empty()
                    : Optional.of(new Problem(ROLLOUT_STUCK, "pod " + name + " was due to stop at " + deleting
                            + " and is still terminating (deadline " + minutes(ROLLOUT_DEADLINE) + "): the rollout waits for it"));
        }
        for (ContainerStatus c : containers(pod).toList()) {
            ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
            String why = waiting == null ? null : waiting.getReason();
            if (why == null) {
                continue;
            }
            String container = "container " + c.getName() + " of pod " + name;
            if (IMAGE_PULL.contains(why)) {
                // no kubelet message: it alternates between ErrImagePull and the back-off, which would re-patch the status
                return Optional.of(new Problem(IMAGE_PULL_FAILED, container + " cannot pull image \"" + c.getImage()
                        + "\" (" + ("InvalidImageName".equals(why) ? "invalid image name" : "check the image and spec.imagePullSecrets")
                        + "; kubectl describe pod " + name + ")"));
            }
            if (CONFIG_ERROR.contains(why)) {
                return Optional.of(new Problem(CONTAINER_CONFIG_ERROR, container + " cannot be created: "
                        + (waiting.getMessage() == null ? why : waiting.getMessage())));
            }
            if ("CrashLoopBackOff".equals(why)) {
                ContainerStateTerminated last = c.getLastState() == null ? null : c.getLastState().getTerminated();
                return Optional.of(new Problem(CRASH_LOOPING, container + " keeps crashing (CrashLoopBackOff"
                        + (last == null ? "" : "; last exit: " + last.getReason() + ", code " + last.getExitCode())
                        + "; kubectl logs --previous " + name + " -c " + c.getName() + ")"));
            }
        }
        PodCondition scheduled = condition(pod, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.getStatus()) && "Unschedulable".equals(scheduled.getReason())) {
            return Optional.of(new Problem(UNSCHEDULABLE, "pod " + name + " cannot be scheduled: " + scheduled.getMessage()));
        }
        Instant since = notReadySince(pod);
        if (since != null && !since.plus(ROLLOUT_DEADLINE).isAfter(now)) {
            return Optional.of(new Problem(ROLLOUT_STUCK, "pod " + name + " has not been Ready since " + since
                    + " (deadline " + minutes(ROLLOUT_DEADLINE) + "): " + notReadyContainer(pod)));
        }
        return Optional.empty();
    }

    /** When the pod last stopped being Ready (or was created, before it ever reported), or null while it is Ready. */
    private static Instant notReadySince(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        PodCondition ready = condition(pod, "Ready");
        if (ready != null && "True".equals(ready.getStatus())) {
            return null;
        }
        String since = ready != null && ready.getLastTransitionTime() != null ? ready.getLastTransitionTime()
                : pod.getMetadata().getCreationTimestamp();
        return since == null ? null : Instant.parse(since);
    }

    private static String notReadyContainer(Pod pod) {
        return containers(pod).filter(c -> !Boolean.TRUE.equals(c.getReady())).findFirst().map(c -> {
            String state = c.getState() == null ? "no state"
                    : c.getState().getWaiting() != null ? "waiting (" + c.getState().getWaiting().getReason() + ")"
                    : c.getState().getRunning() != null ? "running but not ready (readiness probe failing)"
                    : c.getState().getTerminated() != null ? "terminated (" + c.getState().getTerminated().getReason() + ")" : "no state";
            return "container " + c.getName() + " is " + state;
        }).orElse("no container has started");
    }

    private static Stream<ContainerStatus> containers(Pod pod) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.concat(Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream());
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + "m";
    }
}
