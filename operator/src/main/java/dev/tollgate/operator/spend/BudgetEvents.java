package dev.tollgate.operator.spend;

import dev.tollgate.operator.cluster.KubeEvents;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;

/** Kubernetes Events about a budget, on the VirtualKey or TeamBudget they concern (reason {@code BudgetThresholdReached}). */
final class BudgetEvents {

    static final String THRESHOLD_REACHED = "BudgetThresholdReached";

    private BudgetEvents() {
    }

    /** A refused Event is thrown: the reconcile fails and retries, so a crossed threshold is announced at least once. */
    static void thresholdReached(KubernetesClient client, HasMetadata owner, int threshold, String message, Instant now) {
        KubeEvents.create(client, owner, threshold >= 100 ? KubeEvents.WARNING : KubeEvents.NORMAL, THRESHOLD_REACHED, message, now);
    }
}
