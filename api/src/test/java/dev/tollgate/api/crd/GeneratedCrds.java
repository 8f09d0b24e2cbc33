package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The CRDs the build generated from the Java types (post-processed as committed), by kind, and every CEL rule in their schemas. */
final class GeneratedCrds {

    static final Path DIR = Path.of("target/classes/META-INF/fabric8");

    private static final Map<String, JsonNode> BY_KIND = load();

    /** One {@code x-kubernetes-validations} entry: {@code path} names its schema node as {@code spec.backends[].baseUrl}. */
    record Rule(String kind, String path, String rule, String message, JsonNode schema) {

        /** How the case table names the rule. */
        String id() {
            return kind + " " + path + ": " + message;
        }
    }

    private GeneratedCrds() {
    }

    /** The kind's {@code openAPIV3Schema}. */
    static JsonNode schema(String kind) {
        JsonNode crd = BY_KIND.get(kind);
        if (crd == null) {
            throw new IllegalArgumentException("no generated CRD for kind " + kind);
        }
        return crd.at("/spec/versions/0/schema/openAPIV3Schema");
    }

    /** Every rule of every CRD, found by walking the schemas (so a new rule cannot be missed). */
    static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        BY_KIND.keySet().forEach(kind -> collect(kind, schema(kind), "", out));
        return out;
    }

    private static void collect(String kind, JsonNode schema, String path, List<Rule> out) {
        schema.path("x-kubernetes-validations").forEach(v ->
                out.add(new Rule(kind, path, v.path("rule").asText(), v.path("message").asText(), schema)));
        schema.path("properties").properties().forEach(p -> collect(kind, p.getValue(), (path.isEmpty() ? "" : path + ".") + p.getKey(), out));
        if (schema.path("items").isObject()) {
            collect(kind, schema.path("items"), path + "[]", out);
        }
        if (schema.path("additionalProperties").isObject()) {
            collect(kind, schema.path("additionalProperties"), path + "{}", out);
        }
    }

    private static Map<String, JsonNode> load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                JsonNode crd = yaml.readTree(CrdPostProcessing.apply(Files.readString(f)));
                out.put(crd.at("/spec/names/kind").asText(), crd);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
