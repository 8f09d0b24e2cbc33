package dev.tollgate.operator.cluster;

import dev.tollgate.api.crd.GatewayRef;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec.AllowedNamespaces;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the gateway a resource refers to, in the LLMGateway informer of the reconciler (never with a GET), and decides
 * whether the gateway admits the resource's namespace.
 */
public final class GatewayLookup {

    private GatewayLookup() {
    }

    /** The gateway {@code ref} names, from the LLMGateway informer of the reconciler of {@code context}. */
    public static Optional<LLMGateway> find(Context<?> context, GatewayRef ref, HasMetadata from) {
        if (ref == null || ref.name == null) {
            return Optional.empty();
        }
        return get(context, new ResourceID(ref.name, ref.namespaceOr(from.getMetadata().getNamespace())));
    }

    /** A gateway from the one LLMGateway event source (an informer) of the reconciler of {@code context}. */
    @SuppressWarnings("unchecked")
    public static Optional<LLMGateway> get(Context<?> context, ResourceID gateway) {
        return ((Cache<LLMGateway>) context.eventSourceRetriever().getEventSourceFor(LLMGateway.class)).get(gateway);
    }

    public static boolean refersTo(GatewayRef ref, HasMetadata from, LLMGateway gw) {
        return ref != null && gw.getMetadata().getName().equals(ref.name)
                && gw.getMetadata().getNamespace().equals(ref.namespaceOr(from.getMetadata().getNamespace()));
    }

    public static boolean admits(KubernetesClient client, LLMGateway gw, String namespace) {
        AllowedNamespaces allowed = gw.getSpec().allowedNamespaces == null ? new AllowedNamespaces() : gw.getSpec().allowedNamespaces;
        return switch (allowed.from == null ? AllowedNamespaces.From.Same : allowed.from) {
            case Same -> gw.getMetadata().getNamespace().equals(namespace);
            case All -> true;
            case Selector -> {
                Namespace ns = client.namespaces().withName(namespace).get();
                yield ns != null && matches(allowed.selector, ns.getMetadata().getLabels());
            }
        };
    }

    /** Label selector semantics (matchLabels and matchExpressions); a null selector matches everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String v = l.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> v != null && r.getValues().contains(v);
                    case "NotIn" -> v == null || !r.getValues().contains(v);
                    case "Exists" -> l.containsKey(r.getKey());
                    case "DoesNotExist" -> !l.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
