package dev.tollgate.api.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML object being read into a record: knows its field path, collects errors instead of throwing, and
 * reports fields it was never asked for as unknown.
 */
final class ConfigNode {

    private final JsonNode node;
    private final String path;
    private final List<String> errors;

    ConfigNode(JsonNode node, String path, List<String> errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    String path() {
        return path;
    }

    String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    void error(String field, String problem) {
        errors.add(field(field) + ": " + problem);
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** Reports every field not in {@code known}. Call once per object. */
    void allowOnly(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                error(name, "unknown field (allowed: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    String string(String name, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                error(name, "is required");
            }
            return null;
        }
        if (!v.isValueNode() || v.isBinary()) {
            error(name, "must be a string");
            return null;
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            error(name, "must not be empty");
            return null;
        }
        return s;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        error(name, "must be true or false");
        return fallback;
    }

    /** An integer within [min, max]; null when absent (or invalid, with an error recorded). */
    Integer integer(String name, long min, long max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        Long n = null;
        if (v.isIntegralNumber()) {
            n = v.longValue();
        } else if (v.isTextual()) {
            try {
                n = Long.parseLong(v.asText().trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        if (n == null) {
            error(name, "must be a whole number");
            return null;
        }
        if (n < min || n > max) {
            error(name, "must be between " + min + " and " + max + " (was " + n + ")");
            return null;
        }
        return n.intValue();
    }

    Long longValue(String name, long min, long max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() && !(v.isTextual() && v.asText().trim().matches("\\d+"))) {
            error(name, "must be a whole number");
            return null;
        }
        long n = v.isIntegralNumber() ? v.longValue() : Long.parseLong(v.asText().trim());
        if (n < min || n > max) {
            error(name, "must be between " + min + " and " + max + " (was " + n + ")");
            return null;
        }
        return n;
    }

    BigDecimal decimal(String name, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                error(name, "is required");
            }
            return null;
        }
        BigDecimal d = null;
        if (v.isNumber()) {
            // text form keeps the decimal exact (0.15 stays 0.15, not 0.1499999...)
            d = new BigDecimal(v.asText());
        } else if (v.isTextual()) {
            try {
                d = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        if (d == null) {
            error(name, "must be a decimal number");
            return null;
        }
        if (d.signum() < 0) {
            error(name, "must not be negative (was " + d.toPlainString() + ")");
            return null;
        }
        return d;
    }

    Duration duration(String name, Duration fallback) {
        String s = string(name, false);
        if (s == null) {
            return fallback;
        }
        Duration d = Durations.parse(s);
        if (d == null || d.isNegative()) {
            error(name, "must be a duration such as 500ms, 30s, 5m or 12h (was '" + s + "')");
            return fallback;
        }
        return d;
    }

    Instant instant(String name) {
        String s = string(name, false);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            error(name, "must be an ISO-8601 instant such as 2026-12-31T23:59:59Z (was '" + s + "')");
            return null;
        }
    }

    URI httpUrl(String name, boolean required) {
        String s = string(name, required);
        if (s == null) {
            return null;
        }
        try {
            URI uri = new URI(s);
            if (uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (Exception ignored) {
            // reported below
        }
        error(name, "must be an absolute http(s) URL (was '" + s + "')");
        return null;
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        String s = string(name, false);
        if (s == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        error(name, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList() + " (was '" + s + "'"
                + (node.get(name).isBoolean() ? "; YAML reads bare on/off/yes/no as booleans, so quote the value" : "") + ")");
        return fallback;
    }

    List<String> strings(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            error(name, "must be a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                errors.add(field(name) + "[" + i + "]: must be a non-empty string");
            } else {
                out.add(item.asText());
            }
        }
        return out;
    }

    /** A mapping of names to non-empty strings (values may be {@code ${ENV}} references); empty when absent. */
    Map<String, String> stringMap(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            error(name, "must be a mapping of names to strings");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull() || e.getValue().asText().isBlank()) {
                errors.add(field(name) + "." + e.getKey() + ": must be a non-empty string");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    /** A list of whole numbers in {@code [min, max]}; empty when absent. */
    List<Integer> integers(String name, long min, long max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            error(name, "must be a list of whole numbers");
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            Long n = item.isIntegralNumber() && item.canConvertToLong() ? Long.valueOf(item.longValue())
                    : item.isTextual() && item.asText().trim().matches("-?\\d{1,18}") ? Long.valueOf(item.asText().trim()) : null;
            if (n == null || n < min || n > max) {
                errors.add(field(name) + "[" + i + "]: must be a whole number between " + min + " and " + max);
            } else {
                out.add(n.intValue());
            }
        }
        return out;
    }

    /** A nested object; null when absent (or not an object, with an error recorded). */
    ConfigNode object(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            error(name, "must be an object");
            return null;
        }
        return new ConfigNode(v, field(name), errors);
    }

    <T> T object(String name, Function<ConfigNode, T> reader) {
        ConfigNode child = object(name);
        return child == null ? null : reader.apply(child);
    }

    <T> List<T> list(String name, Function<ConfigNode, T> reader) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            error(name, "must be a list");
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String itemPath = field(name) + "[" + i + "]";
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                errors.add(itemPath + ": must be an object");
                continue;
            }
            T value = reader.apply(new ConfigNode(item, itemPath, errors));
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /** A mapping of names matching {@code namePattern} to non-empty strings; empty when absent. */
    Map<String, String> stringMap(String name, String namePattern) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            error(name, "must be a mapping of names to strings");
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().matches(namePattern)) {
                errors.add(field(name) + "." + field.getKey() + ": is not a valid name");
            } else if (!field.getValue().isValueNode() || field.getValue().asText().isEmpty()) {
                // the value may be a credential: not repeated
                errors.add(field(name) + "." + field.getKey() + ": must be a non-empty string");
            } else {
                out.put(field.getKey(), field.getValue().asText());
            }
        }
        return out;
    }
}
