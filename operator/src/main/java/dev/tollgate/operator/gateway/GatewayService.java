package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * A Service on port 4000 in front of the gateway pods: ClusterIP {@code <gateway>}, the URL applications call, or the
 * headless {@code <gateway>-headless} that governs the StatefulSet (a DNS name per pod).
 */
final class GatewayService implements Owned<Service> {

    private final boolean headless;

    private GatewayService(boolean headless) {
        this.headless = headless;
    }

    static GatewayService forClients() {
        return new GatewayService(false);
    }

    static GatewayService headless() {
        return new GatewayService(true);
    }

    @Override
    public Class<Service> type() {
        return Service.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return headless ? GatewayResources.headlessServiceName(gw) : gw.getMetadata().getName();
    }

    @Override
    public Service desired(LLMGateway gw, Snapshot snapshot) {
        return new ServiceBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewSpec().withType("ClusterIP").withClusterIP(headless ? "None" : null).withSelector(Labels.selector(gw))
                .addNewPort().withName("http").withPort(GatewayResources.PORT).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
                .endSpec().build();
    }
}
