package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a structural schema node looks to CEL in the API server: {@code self} is declared with the schema's type (an
 * object with properties is a struct whose fields are exactly those properties, so a rule naming a missing field
 * fails to compile, as the API server refuses such a CRD), and JSON values become CEL values of that type (a
 * {@code number} is always a double, as in Kubernetes).
 */
final class CelSchema implements CelTypeProvider {

    /** Formats Kubernetes turns into CEL timestamps, durations or bytes; no rule reads one yet. */
    private static final Set<String> TYPED_FORMATS = Set.of("date-time", "date", "duration", "byte");

    private final Map<String, CelType> structs = new LinkedHashMap<>();
    private final CelType type;

    CelSchema(JsonNode schema, String name) {
        this.type = declare(schema, name);
    }

    /** The declared type of {@code self}. */
    CelType type() {
        return type;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }

    private CelType declare(JsonNode schema, String name) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            return SimpleType.DYN;
        }
        if (TYPED_FORMATS.contains(schema.path("format").asText())) {
            throw new IllegalStateException(name + ": format " + schema.path("format").asText()
                    + " is a typed value in Kubernetes CEL; map it here before a rule reads it");
        }
        return switch (schema.path("type").asText()) {
            case "object" -> schema.path("additionalProperties").isObject()
                    ? MapType.create(SimpleType.STRING, declare(schema.path("additionalProperties"), name + "{}"))
                    : struct(schema, name);
            case "array" -> ListType.create(declare(schema.path("items"), name + "[]"));
            case "string" -> SimpleType.STRING;
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            default -> SimpleType.DYN; // no type: x-kubernetes-preserve-unknown-fields
        };
    }

    private CelType struct(JsonNode schema, String name) {
        Map<String, CelType> fields = new LinkedHashMap<>();
        schema.path("properties").properties().forEach(p -> fields.put(p.getKey(), declare(p.getValue(), name + "." + p.getKey())));
        ImmutableMap<String, CelType> declared = ImmutableMap.copyOf(fields);
        StructType struct = StructType.create(name, declared.keySet(), field -> Optional.ofNullable(declared.get(field)));
        structs.put(name, struct);
        return struct;
    }

    /** The CEL value of a JSON node under this schema node (nulls are pruned before rules run). */
    static Object value(JsonNode schema, JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            node.properties().forEach(f -> fields.put(f.getKey(), value(fieldSchema(schema, f.getKey()), f.getValue())));
            return fields;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(value(schema.path("items"), item)));
            return items;
        }
        if (node.isIntegralNumber() && !"number".equals(schema.path("type").asText())) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        throw new IllegalArgumentException("no CEL value for " + node);
    }

    /** The schema of an object's field: its property, else its additionalProperties (missing when neither). */
    static JsonNode fieldSchema(JsonNode objectSchema, String field) {
        JsonNode property = objectSchema.path("properties").path(field);
        return property.isMissingNode() ? objectSchema.path("additionalProperties") : property;
    }
}
