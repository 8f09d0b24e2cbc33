package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The rendered snapshot: Secret {@code <gateway>-config}, key {@code config.yaml}, annotated with its version. */
public final class ConfigSecret implements Owned<Secret> {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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

    /** Key names in a config Secret's snapshot (for the VirtualKey finalizer). */
    public static Set<String> keyNames(Secret secret) {
        Set<String> names = new HashSet<>();
        if (secret == null || secret.getData() == null || secret.getData().get(GatewayResources.CONFIG_KEY) == null) {
            return names;
        }
        try {
            JsonNode root = YAML.readTree(Base64.getDecoder().decode(secret.getData().get(GatewayResources.CONFIG_KEY)));
            root.path("keys").forEach(k -> names.add(k.path("name").asText()));
        } catch (Exception e) {
            // an unreadable snapshot holds no key we know of
        }
        return names;
    }
}
