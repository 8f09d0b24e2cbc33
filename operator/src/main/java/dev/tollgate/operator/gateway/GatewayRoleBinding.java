package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;

/** Binds the gateway's Role to its ServiceAccount. */
final class GatewayRoleBinding implements Owned<RoleBinding> {

    @Override
    public Class<RoleBinding> type() {
        return RoleBinding.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return GatewayResources.serviceAccountName(gw);
    }

    @Override
    public RoleBinding desired(LLMGateway gw, Snapshot snapshot) {
        return new RoleBindingBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name(gw))
                .addNewSubject().withKind("ServiceAccount").withName(GatewayResources.serviceAccountName(gw))
                .withNamespace(gw.getMetadata().getNamespace()).endSubject()
                .build();
    }
}
