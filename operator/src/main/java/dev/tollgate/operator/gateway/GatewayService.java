package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** ClusterIP Service {@code <gateway>} on port 4000: the URL applications call. */
final class GatewayService implements Owned<Service> {

    @Override
    public Class<Service> type() {
        return Service.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return gw.getMetadata().getName();
    }

    @Override
    public Service desired(LLMGateway gw, Snapshot snapshot) {
        return new ServiceBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewSpec().withType("ClusterIP").withSelector(Labels.selector(gw))
                .addNewPort().withName("http").withPort(GatewayResources.PORT).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
                .endSpec().build();
    }
}
