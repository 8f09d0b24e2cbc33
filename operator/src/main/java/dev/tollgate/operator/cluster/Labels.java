package dev.tollgate.operator.cluster;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
    /**
     * The label a user's Secret needs for the operator to read it (credentials, ledger database, admin key): the operator
     * caches only Secrets it wrote and Secrets labelled {@code tollgate.dev/watched=true}, never every Secret in scope.
     * (Not {@code tollgate.dev/watch}: a selector {@code …/watch=true} reads as a watch request to Fabric8's mock API
     * server, whose CRUD dispatcher looks for {@code watch=true} anywhere in the decoded URL.)
     */
    public static final String WATCH = "tollgate.dev/watched";
    /** Selector of the Secrets users label for the operator. */
    public static final String WATCHED = WATCH + "=true";
    /** Selector of everything the operator writes: owned objects, config and key Secrets. */
    public static final String MANAGED = MANAGED_BY + "=" + OPERATOR;
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

    /**
     * The gateway an object the operator wrote belongs to: its controller when that is an LLMGateway (owned objects,
     * config Secret), else the gateway its {@link #GATEWAY} labels name (a VirtualKey's key Secret).
     */
    public static Optional<ResourceID> gatewayOf(HasMetadata written) {
        var owner = written.getMetadata().getOwnerReferences() == null ? null : written.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()) && "LLMGateway".equals(o.getKind())).findFirst().orElse(null);
        if (owner != null) {
            return Optional.of(new ResourceID(owner.getName(), written.getMetadata().getNamespace()));
        }
        Map<String, String> labels = written.getMetadata().getLabels();
        return labels == null || labels.get(GATEWAY) == null || labels.get(GATEWAY_NAMESPACE) == null ? Optional.empty()
                : Optional.of(new ResourceID(labels.get(GATEWAY), labels.get(GATEWAY_NAMESPACE)));
    }

    /** The gateway a pod with {@link #owned} labels belongs to: same namespace, name in {@code app.kubernetes.io/instance}. */
    public static Optional<ResourceID> gatewayOfPod(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String gw = labels == null ? null : labels.get(INSTANCE);
        return gw == null ? Optional.empty() : Optional.of(new ResourceID(gw, pod.getMetadata().getNamespace()));
    }
}
