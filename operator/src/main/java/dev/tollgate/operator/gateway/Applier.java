package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Creates, updates or deletes an owned object so it matches its desired state. "Matches" means every field of the
 * desired object is present and equal in the actual one (fields the API server adds are ignored), so a second
 * reconcile with nothing new writes nothing. An object whose change the API server would refuse is replaced.
 */
final class Applier {

    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
    /** How long a replaced object may take to go (the garbage collector first releases its dependents). */
    private static final long REPLACE_WAIT_SECONDS = 30;
    /** Maps whose values are quantities: container resources, claim requests, a claim's capacity. */
    private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "capacity");

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    <R extends HasMetadata> R apply(Owned<R> owned, LLMGateway gw, Snapshot snapshot) {
        R desired = owned.desired(gw, snapshot);
        R actual = client.resources(owned.type()).inNamespace(gw.getMetadata().getNamespace()).withName(owned.name(gw)).get();
        if (desired == null) {
            if (actual != null) {
                client.resource(actual).delete();
            }
            return null;
        }
        if (actual == null) {
            return client.resource(desired).create();
        }
        if (actual.getMetadata().getDeletionTimestamp() != null) {
            return actual; // still going: its deletion event brings the reconcile that creates it anew
        }
        if (contains(Serialization.jsonMapper().valueToTree(actual), Serialization.jsonMapper().valueToTree(desired))) {
            return actual;
        }
        owned.keepLive(actual, desired);
        if (owned.mustReplace(actual, desired)) {
            return replace(actual, desired);
        }
        desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        return client.resource(desired).update();
    }

    /** Deletes {@code actual} leaving its dependents (pods, claims) in place, then creates the replacement, which adopts them. */
    private <R extends HasMetadata> R replace(R actual, R replacement) {
        LOG.info("{} {}/{}: a field that cannot be updated changed; replacing it, its pods keep running", actual.getKind(),
                actual.getMetadata().getNamespace(), actual.getMetadata().getName());
        client.resource(actual).withPropagationPolicy(DeletionPropagation.ORPHAN).withTimeout(REPLACE_WAIT_SECONDS, TimeUnit.SECONDS).delete();
        return client.resource(replacement).create();
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
