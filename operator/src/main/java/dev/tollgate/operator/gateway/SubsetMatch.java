package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether an owned object already is what the operator wants: every field of the desired object is present and equal in
 * the actual one (fields the API server or other controllers add are ignored), so a second reconcile with nothing new
 * writes nothing. Quantities in resource maps are compared by amount.
 */
final class SubsetMatch {

    /** Maps whose values are quantities: container resources, claim requests, a claim's capacity. */
    private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "capacity");

    private SubsetMatch() {
    }

    static boolean contains(HasMetadata actual, HasMetadata desired) {
        JsonNode a = Serialization.jsonMapper().valueToTree(actual);
        JsonNode d = Serialization.jsonMapper().valueToTree(desired);
        return contains(a, d);
    }

    static boolean contains(JsonNode actual, JsonNode desired) {
        return contains(actual, desired, false, false);
    }

    /**
     * @param quantityMap whether the nodes are a {@code limits}, {@code requests} or {@code capacity} map
     * @param quantity    whether the values compared are an entry of such a map: a Kubernetes quantity, which the API
     *                    server stores canonically ({@code 0.5} comes back as {@code 500m}, {@code 1024Mi} as
     *                    {@code 1Gi}), so it is compared by amount, or every reconcile would update the object and the
     *                    update would bring the next reconcile
     */
    private static boolean contains(JsonNode actual, JsonNode desired, boolean quantityMap, boolean quantity) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (actual == null || actual.isNull()) {
            return desired.isEmpty() && (desired.isObject() || desired.isArray());
        }
        if (desired.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!contains(actual.get(e.getKey()), e.getValue(), QUANTITY_MAPS.contains(e.getKey()), quantityMap)) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(actual.get(i), desired.get(i), false, false)) {
                    return false;
                }
            }
            return true;
        }
        if (desired.equals(actual) || desired.asText().equals(actual.asText())) {
            return true;
        }
        return quantity && sameAmount(actual.asText(), desired.asText());
    }

    private static boolean sameAmount(String actual, String desired) {
        try {
            return Quantity.getAmountInBytes(Quantity.parse(actual)).compareTo(Quantity.getAmountInBytes(Quantity.parse(desired))) == 0;
        } catch (IllegalArgumentException | ArithmeticException notQuantities) {
            return false;
        }
    }
}
