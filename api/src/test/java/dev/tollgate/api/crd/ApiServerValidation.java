package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A custom resource checked as {@code kubectl apply} has the API server check it on create: {@code status} dropped
 * (status subresource), defaults applied, the CRD's {@code openAPIV3Schema} validated as OpenAPI 3.0 by networknt's
 * validator (patterns by RE2 like Go's regexp; unknown fields refused like kubectl's strict field validation, except
 * under {@code x-kubernetes-preserve-unknown-fields}), then every CEL rule. Refusals name the field:
 * {@code spec.budget.amountUsd: must have a minimum value of 0}.
 */
final class ApiServerValidation {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .regularExpressionFactory(pattern -> {
                        com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(pattern);
                        return value -> re2.matcher(value).find();
                    })
                    .build()));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private ApiServerValidation() {
    }

    /** Why the API server would refuse the resource; empty when it would store it. */
    static List<String> refusals(JsonNode resource) {
        String kind = resource.path("kind").asText();
        JsonNode schema = GeneratedCrds.schema(kind);
        ObjectNode object = resource.deepCopy();
        object.remove("status");
        JsonNode defaulted = Defaulting.apply(schema, object);
        List<String> out = new ArrayList<>();
        Schema strict = SCHEMAS.computeIfAbsent(kind, k -> REGISTRY.getSchema(strict(schema).toString(), InputFormat.JSON));
        for (Error e : strict.validate(defaulted.toString(), InputFormat.JSON)) {
            out.add(field(e.getInstanceLocation()) + ": " + e.getMessage());
        }
        CelValidation.check(kind, schema, defaulted, "", "", out);
        return out;
    }

    /** The schema with unknown fields refused (additionalProperties false on every closed object) and the implicit root fields. */
    private static JsonNode strict(JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        close(copy);
        ObjectNode root = (ObjectNode) copy.path("properties");
        root.set("apiVersion", JsonNodeFactory.instance.objectNode().put("type", "string"));
        root.set("kind", JsonNodeFactory.instance.objectNode().put("type", "string"));
        root.set("metadata", JsonNodeFactory.instance.objectNode().put("type", "object")); // ObjectMeta: checked apart
        return copy;
    }

    private static void close(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        if ("object".equals(node.path("type").asText()) && !node.has("additionalProperties")
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            node.put("additionalProperties", false);
        }
        node.path("properties").forEach(ApiServerValidation::close);
        close(node.path("items"));
        close(node.path("additionalProperties"));
    }

    /** {@code spec.backends[0].name}, as Kubernetes names a field. */
    private static String field(NodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.append(element instanceof Integer index ? "[" + index + "]" : (out.isEmpty() ? "" : ".") + element);
        }
        return out.toString();
    }
}
