package dev.tollgate.operator.spend;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.UUID;

/** Kubernetes Events about a budget, on the VirtualKey or TeamBudget they concern (reason {@code BudgetThresholdReached}). */
final class BudgetEvents {

    static final String THRESHOLD_REACHED = "BudgetThresholdReached";

    private BudgetEvents() {
    }

    static void thresholdReached(KubernetesClient client, HasMetadata owner, int threshold, String message, Instant now) {
        String ns = owner.getMetadata().getNamespace();
        client.v1().events().inNamespace(ns).resource(new EventBuilder()
                .withNewMetadata().withName(owner.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(ns).endMetadata()
                .withType(threshold >= 100 ? "Warning" : "Normal").withReason(THRESHOLD_REACHED).withMessage(message)
                .withNewInvolvedObject().withApiVersion(owner.getApiVersion()).withKind(owner.getKind()).withName(owner.getMetadata().getName())
                .withNamespace(ns).withUid(owner.getMetadata().getUid()).endInvolvedObject()
                .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                .withNewSource().withComponent("tollgate-operator").endSource()
                .build()).create();
    }
}
