package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every manifest in samples/k8s deserializes into its type, and every custom resource in them satisfies the generated
 * CRD schema as far as it can be checked without an API server: required fields, types, enums, patterns, minimum /
 * maximum, sizes and unknown fields (CEL rules are not evaluated here; CrdSchemaTest asserts on them).
 */
class SamplesTest {

    @Test
    void theSampleIsCompleteAndEveryDocumentHasItsType() throws IOException {
        List<Samples.Document> docs = Samples.load();

        assertThat(Samples.of(docs, LLMGateway.class)).hasSize(1);
        assertThat(Samples.of(docs, ModelRoute.class)).hasSize(2)
                .anySatisfy(r -> assertThat(r.getSpec().fallbacks).isNotEmpty());
        assertThat(Samples.of(docs, TeamBudget.class)).hasSize(1);
        assertThat(Samples.of(docs, VirtualKey.class)).hasSize(2)
                .allSatisfy(vk -> assertThat(vk.getMetadata().getNamespace()).isEqualTo(Samples.of(docs, TeamBudget.class).getFirst().getMetadata().getNamespace()));
        Set<String> secrets = Samples.of(docs, Secret.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        LLMGateway gw = Samples.of(docs, LLMGateway.class).getFirst();
        assertThat(secrets).contains(gw.getSpec().database.secretName);
        Samples.of(docs, ModelRoute.class).forEach(r -> r.getSpec().backends.forEach(b ->
                assertThat(secrets).contains(b.credentialSecretRef.name)));
        Samples.of(docs, ModelRoute.class).forEach(r -> assertThat(r.getSpec().fallbacks).allSatisfy(f ->
                assertThat(Samples.of(docs, ModelRoute.class)).extracting(x -> x.getMetadata().getName()).contains(f)));
        assertThat(Samples.of(docs, TeamBudget.class).getFirst().getSpec().amountUsd).isEqualByComparingTo(new BigDecimal("500"));
    }

    @Test
    void everyCustomResourceSatisfiesTheGeneratedSchema() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Samples.Document doc : Samples.load()) {
            if (!doc.raw().path("apiVersion").asText().startsWith("tollgate.dev/")) {
                continue;
            }
            JsonNode schema = schemaOf(doc.raw().path("kind").asText());
            check(schema.path("properties").path("spec"), doc.raw().path("spec"), doc.file().getFileName() + " "
                    + doc.raw().path("metadata").path("name").asText() + ": spec", problems);
            checked++;
        }
        assertThat(checked).isEqualTo(6);
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckerFindsWhatTheApiServerWouldRefuse() throws IOException {
        JsonNode bad = new YAMLMapper().readTree("""
                gatewayRef: { namespace: tollgate-system }
                budget: { amountUsd: -1, period: fortnightly }
                limits: { rpm: 0 }
                suspended: "yes"
                colour: blue
                """);
        List<String> problems = new ArrayList<>();

        check(schemaOf("VirtualKey").path("properties").path("spec"), bad, "spec", problems);

        assertThat(problems).anyMatch(p -> p.contains("spec.gatewayRef.name") && p.contains("required"))
                .anyMatch(p -> p.contains("spec.budget.amountUsd") && p.contains("minimum"))
                .anyMatch(p -> p.contains("spec.budget.period") && p.contains("pattern"))
                .anyMatch(p -> p.contains("spec.limits.rpm"))
                .anyMatch(p -> p.contains("spec.suspended") && p.contains("boolean"))
                .anyMatch(p -> p.contains("spec.colour") && p.contains("unknown"));
    }

    private static JsonNode schemaOf(String kind) throws IOException {
        String plural = kind.toLowerCase() + "s";
        Path crd = Path.of(System.getProperty("tollgate.root", ".."), "crds", plural + ".tollgate.dev-v1.yml");
        JsonNode root = new YAMLMapper().readTree(Files.readString(crd));
        return root.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    }

    /** A structural-schema subset: enough to catch the mistakes people make in YAML by hand. */
    static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        if (schema.has("anyOf") || schema.path("x-kubernetes-int-or-string").asBoolean()) {
            return; // int-or-string quantities
        }
        String type = schema.path("type").asText();
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(path + ": must be an object");
                    return;
                }
                for (JsonNode r : schema.path("required")) {
                    if (!value.has(r.asText())) {
                        problems.add(path + "." + r.asText() + ": required");
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    JsonNode prop = schema.path("properties").path(f.getKey());
                    if (!prop.isMissingNode()) {
                        check(prop, f.getValue(), path + "." + f.getKey(), problems);
                    } else if (schema.has("additionalProperties")) {
                        check(schema.path("additionalProperties"), f.getValue(), path + "." + f.getKey(), problems);
                    } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                        problems.add(path + "." + f.getKey() + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(path + ": must be a list");
                    return;
                }
                if (schema.has("maxItems") && value.size() > schema.path("maxItems").asInt()) {
                    problems.add(path + ": more than maxItems " + schema.path("maxItems").asInt());
                }
                if (schema.has("minItems") && value.size() < schema.path("minItems").asInt()) {
                    problems.add(path + ": fewer than minItems " + schema.path("minItems").asInt());
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(path + ": must be a string");
                    return;
                }
                if (schema.has("pattern") && !value.asText().matches(schema.path("pattern").asText())) {
                    problems.add(path + ": '" + value.asText() + "' does not match pattern " + schema.path("pattern").asText());
                }
                if (schema.has("enum") && !contains(schema.path("enum"), value.asText())) {
                    problems.add(path + ": '" + value.asText() + "' is not one of " + schema.path("enum"));
                }
                if (schema.has("maxLength") && value.asText().length() > schema.path("maxLength").asInt()) {
                    problems.add(path + ": longer than maxLength");
                }
            }
            case "integer", "number" -> {
                if (!value.isNumber() || ("integer".equals(type) && !value.canConvertToExactIntegral())) {
                    problems.add(path + ": must be " + ("integer".equals(type) ? "an integer" : "a number"));
                    return;
                }
                if (schema.has("minimum") && value.decimalValue().compareTo(schema.path("minimum").decimalValue()) < 0) {
                    problems.add(path + ": below minimum " + schema.path("minimum").asText());
                }
                if (schema.has("maximum") && value.decimalValue().compareTo(schema.path("maximum").decimalValue()) > 0) {
                    problems.add(path + ": above maximum " + schema.path("maximum").asText());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(path + ": must be a boolean");
                }
            }
            default -> {
                // no type: nothing to check
            }
        }
    }

    private static boolean contains(JsonNode list, String v) {
        for (JsonNode n : list) {
            if (n.asText().equals(v)) {
                return true;
            }
        }
        return false;
    }
}
