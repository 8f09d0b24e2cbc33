package dev.tollgate.api.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A YAML object being read into a record: knows its field path, collects errors instead of throwing, and
 * reports fields it was never asked for as unknown.
 */
final class ConfigNode {

    static final Set<String> HTTP = Set.of("http", "https");

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
        return value(name) != null;
    }

    /** The field's value; null when it is absent or null. */
    private JsonNode value(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
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
        JsonNode v = value(name);
        if (v == null) {
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
        JsonNode v = value(name);
        if (v == null) {
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
        JsonNode v = value(name);
        if (v == null) {
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
        return inRange(name, n, min, max) ? n.intValue() : null;
    }

    Long longValue(String name, long min, long max) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() && !(v.isTextual() && v.asText().trim().matches("\\d+"))) {
            error(name, "must be a whole number");
            return null;
        }
        long n = v.isIntegralNumber() ? v.longValue() : Long.parseLong(v.asText().trim());
        return inRange(name, n, min, max) ? n : null;
    }

    private boolean inRange(String name, long n, long min, long max) {
        if (n < min || n > max) {
            error(name, "must be between " + min + " and " + max + " (was " + n + ")");
            return false;
        }
        return true;
    }

    BigDecimal decimal(String name, boolean required) {
        JsonNode v = value(name);
        if (v == null) {
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
        URI uri = url(s, HTTP);
        if (uri == null) {
            error(name, "must be an absolute http(s) URL (was '" + s + "')");
        }
        return uri;
    }

    /**
     * A required URL with one of {@code schemes} and a host, which may hold a credential: when it is not one,
     * {@code problem} is recorded without repeating it.
     */
    URI credentialUrl(String name, Set<String> schemes, String problem) {
        String s = string(name, true);
        if (s == null) {
            return null;
        }
        URI uri = url(s, schemes);
        if (uri == null) {
            error(name, problem);
        }
        return uri;
    }

    /** {@code s} as a URL with one of {@code schemes} (so absolute) and a host, else null. */
    private static URI url(String s, Set<String> schemes) {
        try {
            URI uri = new URI(s);
            return uri.getScheme() != null && schemes.contains(uri.getScheme()) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
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
        error(name, "must be one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList() + " (was '" + s + "'"
                + (node.get(name).isBoolean() ? "; YAML reads bare on/off/yes/no as booleans, so quote the value" : "") + ")");
        return fallback;
    }

    List<String> strings(String name) {
        return items(name, "must be a list of strings", (item, at) -> {
            if (!item.isTextual() || item.asText().isBlank()) {
                errors.add(at + ": must be a non-empty string");
                return null;
            }
            return item.asText();
        });
    }

    /** A mapping of names to non-empty strings (values may be {@code ${ENV}} references); empty when absent. */
    Map<String, String> stringMap(String name) {
        return mapping(name, (key, value) -> !value.isValueNode() || value.isNull() || value.asText().isBlank()
                ? "must be a non-empty string" : null);
    }

    /** A list of whole numbers in {@code [min, max]}; empty when absent. */
    List<Integer> integers(String name, long min, long max) {
        return items(name, "must be a list of whole numbers", (item, at) -> {
            Long n = item.isIntegralNumber() && item.canConvertToLong() ? Long.valueOf(item.longValue())
                    : item.isTextual() && item.asText().trim().matches("-?\\d{1,18}") ? Long.valueOf(item.asText().trim()) : null;
            if (n == null || n < min || n > max) {
                errors.add(at + ": must be a whole number between " + min + " and " + max);
                return null;
            }
            return n.intValue();
        });
    }

    /** A nested object; null when absent (or not an object, with an error recorded). */
    ConfigNode object(String name) {
        JsonNode v = value(name);
        if (v == null) {
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
        return items(name, "must be a list", (item, at) -> {
            if (!item.isObject()) {
                errors.add(at + ": must be an object");
                return null;
            }
            return reader.apply(new ConfigNode(item, at, errors));
        });
    }

    /** A mapping of names matching {@code namePattern} to non-empty strings; empty when absent. */
    Map<String, String> stringMap(String name, String namePattern) {
        return mapping(name, (key, value) -> {
            if (!key.matches(namePattern)) {
                return "is not a valid name";
            }
            // the value may be a credential: not repeated
            return !value.isValueNode() || value.asText().isEmpty() ? "must be a non-empty string" : null;
        });
    }

    /**
     * The items of a list field, each read by {@code item} with its path (null: left out, the reader has recorded
     * why); empty when absent, or not a list ({@code notAList} recorded).
     */
    private <T> List<T> items(String name, String notAList, BiFunction<JsonNode, String, T> item) {
        JsonNode v = value(name);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            error(name, notAList);
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            T read = item.apply(v.get(i), field(name) + "[" + i + "]");
            if (read != null) {
                out.add(read);
            }
        }
        return out;
    }

    /**
     * The entries of a mapping of names to strings, in order, but those for which {@code problem} names a problem
     * (recorded); empty when absent, or not a mapping (recorded).
     */
    private Map<String, String> mapping(String name, BiFunction<String, JsonNode, String> problem) {
        JsonNode v = value(name);
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            error(name, "must be a mapping of names to strings");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            String wrong = problem.apply(e.getKey(), e.getValue());
            if (wrong != null) {
                errors.add(field(name) + "." + e.getKey() + ": " + wrong);
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }
}
