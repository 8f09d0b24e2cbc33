package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API server's structural defaulting, which runs before validation: a null where the schema is not nullable is
 * dropped (or replaced by the default), a missing property with a default gets it, and defaulting continues into
 * defaulted values, list items and additionalProperties.
 */
final class Defaulting {

    private Defaulting() {
    }

    /** A defaulted copy of the value. */
    static JsonNode apply(JsonNode schema, JsonNode value) {
        JsonNode copy = value.deepCopy();
        fill(schema, copy);
        return copy;
    }

    private static void fill(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            object.properties().removeIf(f -> f.getValue().isNull() && !CelSchema.fieldSchema(schema, f.getKey()).path("nullable").asBoolean());
            schema.path("properties").properties().forEach(p -> {
                if (p.getValue().has("default") && !object.has(p.getKey())) {
                    object.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
            });
            object.properties().forEach(f -> fill(CelSchema.fieldSchema(schema, f.getKey()), f.getValue()));
        } else if (value instanceof ArrayNode array) {
            array.forEach(item -> fill(schema.path("items"), item));
        }
    }
}
