package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec.Autoscaling;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;

/** CPU-based HPA on the gateway StatefulSet; exists only when {@code spec.autoscaling} is set (the StatefulSet then leaves replicas to it). */
final class GatewayAutoscaler implements Owned<HorizontalPodAutoscaler> {

    @Override
    public Class<HorizontalPodAutoscaler> type() {
        return HorizontalPodAutoscaler.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return gw.getMetadata().getName();
    }

    @Override
    public HorizontalPodAutoscaler desired(LLMGateway gw, Snapshot snapshot) {
        Autoscaling a = gw.getSpec().autoscaling;
        if (a == null) {
            return null;
        }
        return new HorizontalPodAutoscalerBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("StatefulSet").withName(gw.getMetadata().getName()).endScaleTargetRef()
                .withMinReplicas(a.minReplicas == null ? 2 : a.minReplicas).withMaxReplicas(a.maxReplicas)
                .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget().withType("Utilization")
                .withAverageUtilization(a.targetCPUUtilizationPercentage == null ? 70 : a.targetCPUUtilizationPercentage)
                .endTarget().endResource().endMetric()
                .endSpec().build();
    }
}
