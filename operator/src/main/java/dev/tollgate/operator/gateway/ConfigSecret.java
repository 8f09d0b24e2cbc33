package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The rendered snapshot: Secret {@code <gateway>-config}, key {@code config.yaml}, annotated with its version. */
public final class ConfigSecret implements Owned<Secret> {

    @Override
    public Class<Secret> type() {
        return Secret.class;
    }

    @Override
    public String name(LLMGateway gw) {
        return GatewayResources.configSecretName(gw);
    }

    @Override
    public Secret desired(LLMGateway gw, Snapshot snapshot) {
        Secret s = new SecretBuilder().withMetadata(GatewayResources.meta(gw, name(gw))).withType("Opaque")
                .withData(Map.of(GatewayResources.CONFIG_KEY, Base64.getEncoder().encodeToString(snapshot.yaml().getBytes(StandardCharsets.UTF_8))))
                .build();
        s.getMetadata().setAnnotations(Map.of(Labels.CONFIG_VERSION, snapshot.version()));
        return s;
    }
}
