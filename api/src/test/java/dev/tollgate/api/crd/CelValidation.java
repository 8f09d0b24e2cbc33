package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code x-kubernetes-validations} rules of a schema applied to a (defaulted) value, each with {@code self} bound to
 * the value at the rule's node, refused with the API server's wording:
 * {@code spec.autoscaling: Invalid value: "object": maxReplicas must be at least minReplicas}.
 */
final class CelValidation {

    private static final Map<String, KubernetesCel> COMPILED = new ConcurrentHashMap<>();

    private CelValidation() {
    }

    /** The refusal of one rule for the value at {@code field}, empty when the rule holds. */
    static Optional<String> refusal(GeneratedCrds.Rule rule, JsonNode value, String field) {
        KubernetesCel cel = COMPILED.computeIfAbsent(rule.id() + "\n" + rule.rule(),
                id -> KubernetesCel.compile(rule.rule(), rule.schema(), rule.kind() + "." + rule.path()));
        String invalid = field + ": Invalid value: \"" + rule.schema().path("type").asText() + "\": ";
        try {
            return cel.holdsFor(value) ? Optional.empty() : Optional.of(invalid + rule.message());
        } catch (Exception e) {
            return Optional.of(invalid + rule.message() + " (evaluation error: " + e.getMessage() + ")");
        }
    }

    /** Every rule at and below the schema node, applied to the value; refusals are added to {@code out}. */
    static void check(String kind, JsonNode schema, JsonNode value, String schemaPath, String field, List<String> out) {
        if (value.isMissingNode() || schema.isMissingNode()) {
            return;
        }
        schema.path("x-kubernetes-validations").forEach(v -> refusal(new GeneratedCrds.Rule(kind, schemaPath,
                v.path("rule").asText(), v.path("message").asText(), schema), value, field).ifPresent(out::add));
        if (value.isObject()) {
            value.properties().forEach(f -> {
                boolean declared = schema.path("properties").has(f.getKey());
                check(kind, CelSchema.fieldSchema(schema, f.getKey()), f.getValue(),
                        declared ? join(schemaPath, f.getKey()) : schemaPath + "{}", join(field, f.getKey()), out);
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                check(kind, schema.path("items"), value.get(i), schemaPath + "[]", field + "[" + i + "]", out);
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
