package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mock API server does not validate, so the rules {@code kubectl apply} enforces are checked on the generated
 * schema: the right keywords sit on the right fields, and the patterns accept and reject what they should.
 */
class CrdSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode crd(String plural) throws IOException {
        return YAML.readTree(Path.of("target/classes/META-INF/fabric8", plural + ".tollgate.dev-v1.yml").toFile());
    }

    private static JsonNode version(String plural) throws IOException {
        return crd(plural).at("/spec/versions/0");
    }

    private static JsonNode spec(String plural) throws IOException {
        return version(plural).at("/schema/openAPIV3Schema/properties/spec");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    @Test
    void everyKindIsNamespacedWithStatusSubresourceShortNamesAndReadyColumn() throws IOException {
        for (String plural : List.of("llmgateways", "modelroutes", "virtualkeys", "teambudgets")) {
            JsonNode crd = crd(plural);
            assertThat(crd.at("/spec/group").asText()).isEqualTo("tollgate.dev");
            assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
            assertThat(crd.at("/spec/names/shortNames").size()).isPositive();
            JsonNode v = version(plural);
            assertThat(v.path("name").asText()).isEqualTo("v1alpha1");
            assertThat(v.at("/subresources/status").isObject()).as(plural + " status subresource").isTrue();
            assertThat(texts(v.path("additionalPrinterColumns"), "jsonPath")).contains(".status.conditions[?(@.type==\"Ready\")].status");
            JsonNode status = v.at("/schema/openAPIV3Schema/properties/status/properties");
            assertThat(status.at("/observedGeneration/type").asText()).isEqualTo("integer");
            JsonNode condition = status.at("/conditions/items/properties");
            assertThat(condition.fieldNames()).toIterable()
                    .contains("type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
        }
    }

    @Test
    void printerColumnsShowEachKindsOwnFigures() throws IOException {
        assertThat(texts(version("llmgateways").path("additionalPrinterColumns"), "name")).contains("Ready", "Replicas", "Routes", "Keys");
        assertThat(texts(version("modelroutes").path("additionalPrinterColumns"), "name")).contains("Ready", "Model", "Backends");
        assertThat(texts(version("virtualkeys").path("additionalPrinterColumns"), "name")).contains("Ready", "Spend", "Budget", "Period");
        assertThat(texts(version("teambudgets").path("additionalPrinterColumns"), "name")).contains("Ready", "Spend", "Budget", "Period", "Used");
    }

    @Test
    void negativeBudgetsAndLimitsAreRejected() throws IOException {
        JsonNode vk = spec("virtualkeys").path("properties");
        assertThat(vk.at("/budget/properties/amountUsd/minimum").asDouble()).isZero();
        assertThat(vk.at("/budget/required").toString()).contains("amountUsd");
        for (String limit : List.of("rpm", "tpm", "parallel")) {
            assertThat(vk.at("/limits/properties/" + limit + "/minimum").asDouble()).isEqualTo(1.0);
        }
        JsonNode tb = spec("teambudgets").path("properties");
        assertThat(tb.at("/amountUsd/minimum").asDouble()).isZero();
        assertThat(tb.at("/limits/properties/rpm/minimum").asDouble()).isEqualTo(1.0);
        JsonNode pricing = spec("modelroutes").at("/properties/backends/items/properties/pricing/properties");
        assertThat(pricing.at("/inputPerMillion/minimum").asDouble()).isZero();
        assertThat(pricing.at("/outputPerMillion/minimum").asDouble()).isZero();
    }

    @Test
    void alertThresholdsMustBePercentages() throws IOException {
        JsonNode thresholds = spec("teambudgets").at("/properties/alertThresholds");
        assertThat(texts(thresholds.path("x-kubernetes-validations"), "rule")).containsExactly("self.all(t, t >= 1 && t <= 1000)");
        assertThat(thresholds.at("/default").toString()).isEqualTo("[50,80,100]").as("defaults are 50/80/100 %");
    }

    @Test
    void weightsAndPrioritiesAreBounded() throws IOException {
        JsonNode backend = spec("modelroutes").at("/properties/backends/items/properties");
        assertThat(backend.at("/weight/minimum").asDouble()).isZero();
        assertThat(backend.at("/weight/maximum").asDouble()).isEqualTo(1000.0);
        assertThat(backend.at("/priority/maximum").asDouble()).isEqualTo(1000.0);
        assertThat(spec("modelroutes").at("/properties/backends/minItems").asInt()).isEqualTo(1);
        assertThat(spec("modelroutes").at("/properties/retries/maximum").asDouble()).isEqualTo(10.0);
    }

    @Test
    void unknownPeriodIsRejected() throws IOException {
        Pattern period = Pattern.compile(spec("virtualkeys").at("/properties/budget/properties/period/pattern").asText());
        assertThat(spec("teambudgets").at("/properties/period/pattern").asText()).isEqualTo(period.pattern());
        assertThat(List.of("daily", "weekly", "monthly", "12h", "30d", "90m")).allMatch(p -> period.matcher(p).matches());
        assertThat(List.of("yearly", "Daily", "0h", "-1d", "12", "12 h", "")).noneMatch(p -> period.matcher(p).matches());
    }

    @Test
    void malformedBaseUrlIsRejected() throws IOException {
        JsonNode baseUrl = spec("modelroutes").at("/properties/backends/items/properties/baseUrl");
        Pattern url = Pattern.compile(baseUrl.path("pattern").asText());
        assertThat(List.of("https://api.openai.com/v1", "http://vllm.llm.svc:8000/v1")).allMatch(u -> url.matcher(u).matches());
        assertThat(List.of("api.openai.com", "ftp://x/y", "https://", "https:// spaced", "")).noneMatch(u -> url.matcher(u).matches());
        assertThat(texts(baseUrl.path("x-kubernetes-validations"), "rule")).singleElement().asString()
                .contains("isURL(self)", "getScheme() in ['http', 'https']");
        assertThat(baseUrl.path("maxLength").asInt()).isPositive();
        JsonNode backendRules = spec("modelroutes").at("/properties/backends/items/x-kubernetes-validations");
        assertThat(texts(backendRules, "rule")).contains("self.provider == 'mock' || has(self.baseUrl)");
    }

    @Test
    void backendNamesMustBeUnique() throws IOException {
        assertThat(texts(spec("modelroutes").path("x-kubernetes-validations"), "rule"))
                .contains("self.backends.all(b, self.backends.exists_one(c, c.name == b.name))");
        assertThat(spec("modelroutes").at("/properties/backends/items/properties/name/maxLength").asInt()).isEqualTo(63);
    }

    @Test
    void virtualKeyAndTeamBudgetRequireGatewayRef() throws IOException {
        for (String plural : List.of("virtualkeys", "teambudgets")) {
            assertThat(texts(spec(plural).path("required"), null)).contains("gatewayRef");
            assertThat(texts(spec(plural).at("/properties/gatewayRef/required"), null)).containsExactly("name");
        }
        assertThat(texts(spec("modelroutes").path("required"), null)).contains("gatewayRef", "model", "backends");
    }

    @Test
    void rotationDurationsAndExpiryMustBeWellFormed() throws IOException {
        JsonNode vk = spec("virtualkeys").path("properties");
        Pattern duration = Pattern.compile(vk.at("/rotation/properties/every/pattern").asText());
        assertThat(List.of("30d", "12h", "500ms")).allMatch(d -> duration.matcher(d).matches());
        assertThat(List.of("0s", "1y", "P1D", "-5m")).noneMatch(d -> duration.matcher(d).matches());
        assertThat(vk.at("/rotation/properties/gracePeriod/default").asText()).isEqualTo("1h");
        Pattern ts = Pattern.compile(vk.at("/expiresAt/pattern").asText());
        assertThat(ts.matcher("2026-12-31T23:59:59Z").matches()).isTrue();
        assertThat(ts.matcher("2026-12-31").matches()).isFalse();
    }

    @Test
    void gatewayRulesGuardAutoscalingAndNamespaceSelector() throws IOException {
        JsonNode gw = spec("llmgateways").path("properties");
        assertThat(texts(gw.at("/autoscaling/x-kubernetes-validations"), "rule")).containsExactly("self.maxReplicas >= self.minReplicas");
        assertThat(texts(gw.at("/allowedNamespaces/x-kubernetes-validations"), "rule"))
                .containsExactly("self.from != 'Selector' || has(self.selector)");
        assertThat(texts(gw.at("/allowedNamespaces/properties/from/enum"), null)).containsExactly("All", "Same", "Selector");
        assertThat(gw.at("/replicas/minimum").asDouble()).isZero();
        assertThat(texts(gw.at("/contentLogging/enum"), null)).containsExactlyInAnyOrder("OFF", "REDACTED", "FULL");
    }
}
