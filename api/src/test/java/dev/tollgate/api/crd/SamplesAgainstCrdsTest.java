package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every custom resource in {@code samples/k8s}, {@code samples/k8s-production} and {@code e2e} is what the API server
 * stores on {@code kubectl apply} (schema and CEL rules, see {@link ApiServerValidation}); a sample broken in one field
 * is refused with a message naming that field.
 */
class SamplesAgainstCrdsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of(System.getProperty("tollgate.root", ".."));

    /** One custom resource as written in a sample file. */
    record Sample(Path file, JsonNode resource) {

        String name() {
            return ROOT.relativize(file) + " " + resource.path("kind").asText() + "/" + resource.at("/metadata/name").asText();
        }
    }

    static List<Sample> samples() throws IOException {
        List<Sample> out = new ArrayList<>();
        for (String dir : List.of("samples/k8s", "samples/k8s-production", "e2e")) {
            try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    try (var docs = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
                        docs.readAll().stream()
                                .filter(doc -> doc != null && doc.path("apiVersion").asText().startsWith(Crds.GROUP + "/"))
                                .forEach(doc -> out.add(new Sample(file, doc)));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everySampleCustomResourceIsAcceptedByTheApiServer() throws IOException {
        List<Sample> samples = samples();

        assertThat(samples).extracting(s -> s.resource().path("kind").asText()).contains("LLMGateway", "ModelRoute", "TeamBudget", "VirtualKey");
        assertThat(samples).extracting(s -> ROOT.relativize(s.file().getParent()).toString()).contains("samples/k8s", "samples/k8s-production", "e2e");
        assertThat(samples).allSatisfy(s -> assertThat(ApiServerValidation.refusals(s.resource())).as(s.name()).isEmpty());
    }

    // kind; name of the sample; JSON pointer of the broken field; its new value (YAML; empty: removed); the one refusal
    @ParameterizedTest(name = "{0}/{1} {2} = {3}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
            VirtualKey ; search-api  ; /spec/budget/amountUsd          ; -1                        ; spec.budget.amountUsd: must have a minimum value of 0.0
            VirtualKey ; search-api  ; /spec/budget/period             ; fortnightly               ; spec.budget.period: does not match the regex pattern ^(daily|weekly|monthly|[1-9][0-9]*(ms|s|m|h|d))$
            VirtualKey ; search-api  ; /spec/suspended                 ; 'yes'                     ; spec.suspended: string found, boolean expected
            VirtualKey ; search-api  ; /spec/colour                    ; blue                      ; spec: property 'colour' is not defined in the schema and the schema does not allow additional properties
            VirtualKey ; search-api  ; /spec/gatewayRef/name           ;                           ; spec.gatewayRef: required property 'name' not found
            TeamBudget ; search      ; /spec/limits/rpm                ; 0                         ; spec.limits.rpm: must have a minimum value of 1.0
            LLMGateway ; gateway     ; /spec/contentLogging            ; LOUD                      ; spec.contentLogging: does not have a value in the enumeration ["FULL", "OFF", "REDACTED"]
            LLMGateway ; gateway     ; /spec/autoscaling               ; {maxReplicas: 1}          ; spec.autoscaling: Invalid value: "object": maxReplicas must be at least minReplicas
            ModelRoute ; gpt-4o      ; /spec/backends/0/provider       ; open-ai                   ; spec.backends[0].provider: Invalid value: "string": unknown provider id (see docs/providers.md)
            ModelRoute ; gpt-4o-mini ; /spec/backends/0/baseUrl        ; 'https://host:port/v1'    ; spec.backends[0].baseUrl: Invalid value: "string": baseUrl must be an http(s) URL
            """)
    void aSampleBrokenInOneFieldIsRefusedNamingTheField(String kind, String name, String pointer, String value, String refusal)
            throws IOException {
        JsonNode broken = samples().stream().map(Sample::resource)
                .filter(r -> r.path("kind").asText().equals(kind) && r.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow().deepCopy();
        JsonNode base = broken.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (value == null) {
            ((ObjectNode) base).remove(field);
        } else if (base instanceof ObjectNode object) {
            object.set(field, YAML.readTree(value));
        } else {
            ((ArrayNode) base).set(Integer.parseInt(field), YAML.readTree(value));
        }

        assertThat(ApiServerValidation.refusals(broken)).containsExactly(refusal);
    }
}
