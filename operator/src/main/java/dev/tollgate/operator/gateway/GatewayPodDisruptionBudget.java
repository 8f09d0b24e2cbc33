package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** At most one gateway pod voluntarily disrupted at a time. */
final class GatewayPodDisruptionBudget implements Owned<PodDisruptionBudget> {

    @Override
    public Class<PodDisruptionBudget> type() {
        return PodDisruptionBudget.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return gw.getMetadata().getName();
    }

    @Override
    public PodDisruptionBudget desired(LLMGateway gw, Snapshot snapshot) {
        return new PodDisruptionBudgetBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewSpec().withMaxUnavailable(new IntOrString(1)).withNewSelector().withMatchLabels(Labels.selector(gw)).endSelector().endSpec()
                .build();
    }
}
