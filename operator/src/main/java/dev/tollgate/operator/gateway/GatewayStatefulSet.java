package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;

import java.util.Objects;

/**
 * The gateway pods as a StatefulSet, so each pod's journal claim follows its ordinal wherever it is scheduled. Pods
 * start and stop in parallel (gateway pods are interchangeable apart from their journals) and roll one at a time.
 * Claims are kept when the set scales down (a returning ordinal replays what its journal still holds) and deleted with
 * the StatefulSet, i.e. with the LLMGateway. Under an autoscaler the operator leaves {@code replicas} to the HPA.
 */
final class GatewayStatefulSet implements Owned<StatefulSet> {

    private final String defaultImage;

    /** @param defaultImage image of gateways without {@code spec.image} */
    GatewayStatefulSet(String defaultImage) {
        this.defaultImage = defaultImage;
    }

    @Override
    public Class<StatefulSet> type() {
        return StatefulSet.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return gw.getMetadata().getName();
    }

    @Override
    public StatefulSet desired(LLMGateway gw, Snapshot snapshot) {
        LLMGatewaySpec spec = gw.getSpec();
        return new StatefulSetBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewSpec()
                .withReplicas(spec.autoscaling != null ? null : (spec.replicas == null ? 2 : spec.replicas))
                .withNewSelector().withMatchLabels(Labels.selector(gw)).endSelector()
                .withServiceName(GatewayResources.headlessServiceName(gw))
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled("Retain").withWhenDeleted("Delete")
                .endPersistentVolumeClaimRetentionPolicy()
                .withVolumeClaimTemplates(JournalVolume.claimTemplates(gw))
                .withTemplate(GatewayPodTemplate.of(gw, defaultImage))
                .endSpec().build();
    }

    /** Under an autoscaler the replicas are the HPA's: an update (a full replace) must not reset them. */
    @Override
    public void keepLive(StatefulSet actual, StatefulSet desired) {
        if (desired.getSpec().getReplicas() == null) {
            desired.getSpec().setReplicas(actual.getSpec().getReplicas());
        }
    }

    /**
     * A StatefulSet's claim templates, service name and pod management policy cannot be updated: when they change (a
     * new journal size, storage class or storage type) it is replaced, and the new one adopts the running pods.
     */
    @Override
    public boolean mustReplace(StatefulSet actual, StatefulSet desired) {
        StatefulSetSpec a = actual.getSpec();
        StatefulSetSpec d = desired.getSpec();
        return !JournalVolume.sameClaims(a.getVolumeClaimTemplates(), d.getVolumeClaimTemplates())
                || !Objects.equals(a.getServiceName(), d.getServiceName())
                || !Objects.equals(a.getPodManagementPolicy(), d.getPodManagementPolicy());
    }
}
