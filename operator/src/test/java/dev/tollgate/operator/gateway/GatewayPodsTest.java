package dev.tollgate.operator.gateway;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pod states as the kubelet and the scheduler report them → the LLMGateway's Degraded reason and message. */
class GatewayPodsTest {

    static final Instant NOW = Instant.parse("2026-05-04T12:00:00Z");
    static final String IMAGE = "ghcr.io/tollgate-dev/tollgate-gateway:0.1.0";

    static Pod pod(String name, Instant created, List<PodCondition> conditions, ContainerStatus... containers) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("p").withCreationTimestamp(created.toString()).endMetadata()
                .withNewStatus().withConditions(conditions).withContainerStatuses(containers).endStatus().build();
    }

    static PodCondition ready(boolean value, Instant since) {
        return new PodConditionBuilder().withType("Ready").withStatus(value ? "True" : "False").withLastTransitionTime(since.toString()).build();
    }

    static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder().withName("gateway").withImage(IMAGE).withReady(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
    }

    static ContainerStatus running(boolean ready) {
        return new ContainerStatusBuilder().withName("gateway").withImage(IMAGE).withReady(ready)
                .withNewState().withNewRunning().withStartedAt(NOW.minusSeconds(3600).toString()).endRunning().endState().build();
    }

    static Pod healthy(String name) {
        return pod(name, NOW.minusSeconds(7200), List.of(ready(true, NOW.minusSeconds(7000))), running(true));
    }

    @Test
    void readyPodsAreNotDegraded() {
        GatewayPods.Verdict v = GatewayPods.assess(List.of(healthy("gw-0"), healthy("gw-1")), NOW);

        assertThat(v.problem()).isEmpty();
        assertThat(v.recheckAt()).isNull();
        assertThat(v.message()).isEqualTo("no gateway pod reports a problem");
    }

    @Test
    void imagePullBackOffAndErrImagePullGiveTheSameMessageNamingPodContainerAndImage() {
        Pod backOff = pod("gw-1", NOW.minusSeconds(60), List.of(ready(false, NOW.minusSeconds(60))),
                waiting("ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\""));
        Pod errPull = pod("gw-1", NOW.minusSeconds(60), List.of(ready(false, NOW.minusSeconds(60))),
                waiting("ErrImagePull", "rpc error: code = NotFound desc = failed to pull and unpack image"));

        GatewayPods.Verdict v = GatewayPods.assess(List.of(healthy("gw-0"), backOff), NOW);

        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo("ImagePullFailed");
            assertThat(p.message()).contains("container gateway of pod gw-1", IMAGE, "imagePullSecrets");
        });
        // the kubelet alternates the two: the status must not flip with it
        assertThat(GatewayPods.assess(List.of(healthy("gw-0"), errPull), NOW).message()).isEqualTo(v.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            InvalidImageName           | couldn't parse image reference | ImagePullFailed      | container gateway of pod gw-0 cannot pull image "%s" (invalid image name; kubectl describe pod gw-0)
            CreateContainerConfigError | secret "ledger-db" not found   | ContainerConfigError | container gateway of pod gw-0 cannot be created: secret "ledger-db" not found
            CreateContainerError       | mount failed                   | ContainerConfigError | container gateway of pod gw-0 cannot be created: mount failed
            """)
    void aWaitingContainerNamesItsTrouble(String waitingReason, String kubeletMessage, String reason, String message) {
        Pod pod = pod("gw-0", NOW, List.of(), waiting(waitingReason, kubeletMessage));

        assertThat(GatewayPods.assess(List.of(pod), NOW).problem()).contains(new GatewayPods.Problem(reason, message.formatted(IMAGE)));
    }

    @Test
    void crashLoopNamesTheLastExitButNotTheRestartCount() {
        ContainerStatus crashing = new ContainerStatusBuilder(waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container"))
                .withRestartCount(7).withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
                .build();

        GatewayPods.Verdict v = GatewayPods.assess(List.of(pod("gw-0", NOW.minusSeconds(600), List.of(ready(false, NOW)), crashing)), NOW);

        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo("CrashLooping");
            assertThat(p.message()).contains("container gateway of pod gw-0 keeps crashing", "OOMKilled, code 137").doesNotContain("restart");
        });
    }


    @Test
    void unschedulablePodCarriesTheSchedulersMessage() {
        PodCondition unschedulable = new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient cpu.").build();

        GatewayPods.Verdict v = GatewayPods.assess(List.of(pod("gw-2", NOW.minusSeconds(30), List.of(unschedulable))), NOW);

        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo("Unschedulable");
            assertThat(p.message()).isEqualTo("pod gw-2 cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.");
        });
    }

    @Test
    void aPodNotReadyWithinTheDeadlineStopsTheRolloutAndUntilThenTheReconcilerIsToldWhenToLookAgain() {
        Instant since = NOW.minus(GatewayPods.ROLLOUT_DEADLINE).plusSeconds(60);
        Pod starting = pod("gw-1", since, List.of(ready(false, since)), running(false));

        GatewayPods.Verdict early = GatewayPods.assess(List.of(healthy("gw-0"), starting), NOW);
        assertThat(early.problem()).isEmpty();
        assertThat(early.recheckAt()).isEqualTo(since.plus(GatewayPods.ROLLOUT_DEADLINE));

        GatewayPods.Verdict late = GatewayPods.assess(List.of(healthy("gw-0"), starting), NOW.plusSeconds(60));
        assertThat(late.problem()).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo("RolloutStuck");
            assertThat(p.message()).isEqualTo("pod gw-1 has not been Ready since " + since
                    + " (deadline 10m): container gateway is running but not ready (readiness probe failing)");
        });
        // the message does not age: the status is not re-patched every reconcile
        assertThat(GatewayPods.assess(List.of(starting), NOW.plusSeconds(3600)).message()).isEqualTo(late.message());
    }

    @Test
    void aPodStillTerminatingLongAfterItsGracePeriodStopsTheRollout() {
        Pod terminating = new PodBuilder(healthy("gw-1")).editMetadata()
                .withDeletionTimestamp(NOW.minus(GatewayPods.ROLLOUT_DEADLINE).minusSeconds(1).toString()).endMetadata().build();

        assertThat(GatewayPods.assess(List.of(terminating), NOW).problem())
                .hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo("RolloutStuck"));
        assertThat(GatewayPods.assess(List.of(terminating), NOW.minus(GatewayPods.ROLLOUT_DEADLINE)).problem()).isEmpty();
    }

    @Test
    void theWorstProblemIsNamedAndTheOthersCounted() {
        Instant old = NOW.minusSeconds(3600);
        Pod stuck = pod("gw-0", old, List.of(ready(false, old)), running(false));
        Pod crashing = pod("gw-1", old, List.of(ready(false, old)), waiting("CrashLoopBackOff", "back-off"));
        Pod pulling = pod("gw-2", old, List.of(ready(false, old)), waiting("ImagePullBackOff", "back-off"));

        GatewayPods.Verdict v = GatewayPods.assess(List.of(stuck, crashing, pulling), NOW);

        assertThat(v.problem()).hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo("ImagePullFailed"));
        assertThat(v.message()).startsWith("container gateway of pod gw-2").endsWith("(and 2 more pods with problems)");
    }
}
