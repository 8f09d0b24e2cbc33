package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

/** May read exactly one Secret: the gateway's own config snapshot. */
final class GatewayRole implements Owned<Role> {

    @Override
    public Class<Role> type() {
        return Role.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return GatewayResources.serviceAccountName(gw);
    }

    @Override
    public Role desired(LLMGateway gw, Snapshot snapshot) {
        return new RoleBuilder().withMetadata(GatewayResources.meta(gw, name(gw)))
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                        .withResourceNames(GatewayResources.configSecretName(gw)).withVerbs("get", "list", "watch").build())
                .build();
    }
}
