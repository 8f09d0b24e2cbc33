package dev.tollgate.operator;

import dev.tollgate.api.crd.LLMGateway;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations the operator puts on what it writes. */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "tollgate-operator";
    public static final String GATEWAY = "tollgate.dev/gateway";
    public static final String GATEWAY_NAMESPACE = "tollgate.dev/gateway-namespace";
    public static final String VIRTUAL_KEY = "tollgate.dev/virtualkey";
    public static final String CONFIG_VERSION = "tollgate.dev/config-version";

    private Labels() {
    }

    /** Labels of the objects owned by a gateway; also its pod selector (stable: never add to it). */
    public static Map<String, String> selector(LLMGateway gw) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.kubernetes.io/name", "tollgate-gateway");
        m.put("app.kubernetes.io/instance", gw.getMetadata().getName());
        return m;
    }

    public static Map<String, String> owned(LLMGateway gw) {
        Map<String, String> m = new LinkedHashMap<>(selector(gw));
        m.put("app.kubernetes.io/component", "gateway");
        m.put(MANAGED_BY, OPERATOR);
        return m;
    }
}
