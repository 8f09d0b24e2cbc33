package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Iterator;
import java.util.Map;

/**
 * Creates, updates or deletes an owned object so it matches its desired state. "Matches" means every field of the
 * desired object is present and equal in the actual one (fields the API server adds are ignored), so a second
 * reconcile with nothing new writes nothing.
 */
final class Applier {

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    <R extends HasMetadata> R apply(Class<R> type, String namespace, String name, R desired) {
        R actual = client.resources(type).inNamespace(namespace).withName(name).get();
        if (desired == null) {
            if (actual != null) {
                client.resource(actual).delete();
            }
            return null;
        }
        if (actual == null) {
            return client.resource(desired).create();
        }
        if (contains(Serialization.jsonMapper().valueToTree(actual), Serialization.jsonMapper().valueToTree(desired))) {
            return actual;
        }
        desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        return client.resource(desired).update();
    }

    static boolean contains(JsonNode actual, JsonNode desired) {
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
                if (!contains(actual.get(e.getKey()), e.getValue())) {
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
                if (!contains(actual.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return desired.equals(actual) || desired.asText().equals(actual.asText());
    }
}
