package dev.tollgate.operator;

import dev.tollgate.api.crd.LLMGateway;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Labels and annotations the operator puts on what it writes. */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "tollgate-operator";
    public static final String GATEWAY = "tollgate.dev/gateway";
    public static final String GATEWAY_NAMESPACE = "tollgate.dev/gateway-namespace";
    public static final String VIRTUAL_KEY = "tollgate.dev/virtualkey";
    public static final String CONFIG_VERSION = "tollgate.dev/config-version";
    private static final String NAME = "app.kubernetes.io/name";
    private static final String INSTANCE = "app.kubernetes.io/instance";
    private static final String GATEWAY_NAME = "tollgate-gateway";
    /** Every gateway's pods, of every gateway the operator runs: {@link #owned} minus the instance. */
    public static final String POD_SELECTOR = NAME + "=" + GATEWAY_NAME + "," + MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    /** Labels of the objects owned by a gateway; also its pod selector (stable: never add to it). */
    public static Map<String, String> selector(LLMGateway gw) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, GATEWAY_NAME);
        m.put(INSTANCE, gw.getMetadata().getName());
        return m;
    }

    public static Map<String, String> owned(LLMGateway gw) {
        Map<String, String> m = new LinkedHashMap<>(selector(gw));
        m.put("app.kubernetes.io/component", "gateway");
        m.put(MANAGED_BY, OPERATOR);
        return m;
    }

    /** The gateway a pod with {@link #owned} labels belongs to: same namespace, name in {@code app.kubernetes.io/instance}. */
    public static Optional<ResourceID> gatewayOfPod(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String gw = labels == null ? null : labels.get(INSTANCE);
        return gw == null ? Optional.empty() : Optional.of(new ResourceID(gw, pod.getMetadata().getNamespace()));
    }
}
