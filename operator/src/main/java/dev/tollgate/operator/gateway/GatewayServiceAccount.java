package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** The gateway pods' identity. */
final class GatewayServiceAccount implements Owned<ServiceAccount> {

    @Override
    public Class<ServiceAccount> type() {
        return ServiceAccount.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return GatewayResources.serviceAccountName(gw);
    }

    @Override
    public ServiceAccount desired(LLMGateway gw, Snapshot snapshot) {
        return new ServiceAccountBuilder().withMetadata(GatewayResources.meta(gw, name(gw))).withAutomountServiceAccountToken(true).build();
    }
}
