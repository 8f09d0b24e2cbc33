package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.api.config.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mock API server does not validate, so the rules {@code kubectl apply} enforces are checked on the generated
 * schema: the right keywords sit on the right fields, and the patterns accept and reject what they should. The CEL
 * rules are run on examples in {@link CelRulesTest}.
 */
class CrdSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode crd(String plural) throws IOException {
        return YAML.readTree(CrdPostProcessing.apply(Files.readString(Path.of("target/classes/META-INF/fabric8", plural + ".tollgate.dev-v1.yml"))));
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
    void alertThresholdsDefaultTo50And80And100Percent() throws IOException {
        JsonNode thresholds = spec("teambudgets").at("/properties/alertThresholds");
        assertThat(thresholds.at("/default").toString()).isEqualTo("[50,80,100]");
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
        assertThat(baseUrl.path("maxLength").asInt()).isPositive();
    }

    @Test
    void backendNamesAreDnsLabels() throws IOException {
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
    void gatewayEnumsAndReplicasAreBounded() throws IOException {
        JsonNode gw = spec("llmgateways").path("properties");
        assertThat(texts(gw.at("/allowedNamespaces/properties/from/enum"), null)).containsExactly("All", "Same", "Selector");
        assertThat(gw.at("/replicas/minimum").asDouble()).isZero();
        assertThat(texts(gw.at("/contentLogging/enum"), null)).containsExactlyInAnyOrder("OFF", "REDACTED", "FULL");
    }

    @Test
    void everyRoutingStrategyOfTheGatewayIsOffered() throws IOException {
        JsonNode strategy = spec("modelroutes").at("/properties/strategy");
        assertThat(texts(strategy.path("enum"), null)).containsExactlyInAnyOrderElementsOf(RoutingStrategy.configNames());
        assertThat(strategy.path("default").asText()).isEqualTo("weighted");
    }

    @Test
    void resilienceSettingsAreBoundedAndDurationsWellFormed() throws IOException {
        JsonNode route = spec("modelroutes").path("properties");
        Pattern duration = Pattern.compile(Validation.DURATION);
        for (String path : List.of("/backoff/properties/initial", "/backoff/properties/max", "/timeouts/properties/connect",
                "/timeouts/properties/request", "/timeouts/properties/firstToken", "/timeouts/properties/idle",
                "/circuitBreaker/properties/cooldown", "/firstTokenFallbackAfter")) {
            assertThat(route.at(path + "/pattern").asText()).as(path).isEqualTo(duration.pattern());
        }
        assertThat(route.at("/backoff/properties/multiplier/minimum").asDouble()).isEqualTo(1.0);
        assertThat(route.at("/backoff/properties/multiplier/maximum").asDouble()).isEqualTo(10.0);
        assertThat(route.at("/backoff/properties/jitter/minimum").asDouble()).isZero();
        assertThat(route.at("/circuitBreaker/properties/failureThreshold/minimum").asDouble()).isZero();
        assertThat(route.at("/circuitBreaker/properties/halfOpenProbes/minimum").asDouble()).isEqualTo(1.0);
        assertThat(route.at("/circuitBreaker/properties/halfOpenProbes/maximum").asDouble()).isEqualTo(100.0);
        for (String list : List.of("fallbacks", "contextWindowFallbacks", "contentPolicyFallbacks")) {
            assertThat(route.at("/" + list + "/maxItems").asInt()).as(list).isEqualTo(8);
        }
        assertThat(route.at("/dropUnsupportedParams/default").asBoolean(true)).isFalse();
    }

    @Test
    void providerSpecificBackendFieldsAreRequiredWhereTheProviderNeedsThem() throws IOException {
        JsonNode backend = spec("modelroutes").at("/properties/backends/items");
        JsonNode p = backend.path("properties");
        assertThat(texts(p.at("/provider/x-kubernetes-validations"), "rule")).containsExactly(ProviderIds.rule());
        Pattern region = Pattern.compile(p.at("/region/pattern").asText());
        assertThat(List.of("us-east-1", "eu-central-1", "us-gov-west-1")).allMatch(r -> region.matcher(r).matches());
        assertThat(List.of("US-EAST-1", "us-east", "useast1", "")).noneMatch(r -> region.matcher(r).matches());
        assertThat(texts(p.at("/awsCredentialsSecretRef/required"), null)).containsExactly("name");
        assertThat(p.at("/awsCredentialsSecretRef/properties/accessKeyIdKey/default").asText()).isEqualTo("accessKeyId");
        assertThat(p.at("/awsCredentialsSecretRef/properties/secretAccessKeyKey/default").asText()).isEqualTo("secretAccessKey");
        assertThat(p.at("/rpm/minimum").asDouble()).isEqualTo(1.0);
        assertThat(p.at("/tpm/minimum").asDouble()).isEqualTo(1.0);
        Pattern model = Pattern.compile(p.at("/model/pattern").asText());
        assertThat(model.matcher("anthropic.claude-3-haiku-20240307-v1:0").matches()).isTrue();
        assertThat(model.matcher("${TOLLGATE_DB_PASSWORD}").matches()).as("no env reference the gateway would expand").isFalse();
    }

    @Test
    void budgetsTakeATimeZoneAndAlertPercentages() throws IOException {
        JsonNode budget = spec("virtualkeys").at("/properties/budget/properties");
        Pattern zone = Pattern.compile(budget.at("/timeZone/pattern").asText());
        assertThat(spec("teambudgets").at("/properties/timeZone/pattern").asText()).isEqualTo(zone.pattern());
        assertThat(List.of("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5")).allMatch(z -> zone.matcher(z).matches());
        assertThat(List.of("", "/Berlin", "Europe Berlin", "${TZ}")).noneMatch(z -> zone.matcher(z).matches());
        assertThat(budget.at("/alertPercents/maxItems").asInt()).isEqualTo(10);
    }

    @Test
    void gatewayTakesRedisAdminKeyAndDefaultMaxTokens() throws IOException {
        JsonNode gw = spec("llmgateways");
        assertThat(texts(gw.at("/properties/redis/required"), null)).containsExactly("urlSecretRef");
        assertThat(gw.at("/properties/redis/properties/timeout/pattern").asText()).isEqualTo(Validation.DURATION);
        assertThat(texts(gw.at("/properties/adminKeySecretRef/required"), null)).containsExactlyInAnyOrder("name", "key");
        assertThat(gw.at("/properties/defaultMaxTokens/minimum").asDouble()).isEqualTo(1.0);
    }

    @Test
    void podSchedulingFieldsCarryTheKubernetesSchemas() throws IOException {
        JsonNode gw = spec("llmgateways").path("properties");
        assertThat(gw.at("/imagePullSecrets/items/properties").fieldNames()).toIterable().contains("name");
        assertThat(gw.at("/nodeSelector/additionalProperties/type").asText()).isEqualTo("string");
        assertThat(gw.at("/tolerations/items/properties").fieldNames()).toIterable()
                .contains("key", "operator", "value", "effect", "tolerationSeconds");
        assertThat(gw.at("/affinity/properties").fieldNames()).toIterable().contains("nodeAffinity", "podAffinity", "podAntiAffinity");
        assertThat(gw.at("/topologySpreadConstraints/items/properties").fieldNames()).toIterable()
                .contains("maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector");
        assertThat(gw.at("/priorityClassName/pattern").asText()).isEqualTo(Validation.NAME);
        assertThat(gw.at("/podAnnotations/additionalProperties/type").asText()).isEqualTo("string");
    }

    @Test
    void podLabelsMayNotSetTheOperatorsLabels() throws IOException {
        JsonNode podLabels = spec("llmgateways").at("/properties/podLabels");
        assertThat(texts(podLabels.path("x-kubernetes-validations"), "rule")).containsExactly(LLMGatewaySpec.POD_LABELS_RULE);
        assertThat(texts(podLabels.path("x-kubernetes-validations"), "message")).singleElement().asString()
                .contains("app.kubernetes.io/name", "app.kubernetes.io/instance", "selects the gateway's pods");
    }

    @Test
    void journalDefaultsToAOneGibClaimPerPod() throws IOException {
        JsonNode journal = spec("llmgateways").at("/properties/journal/properties");
        assertThat(texts(journal.at("/storage/enum"), null)).containsExactlyInAnyOrder("PersistentVolumeClaim", "EmptyDir");
        assertThat(journal.at("/storage/default").asText()).isEqualTo("PersistentVolumeClaim");
        assertThat(journal.at("/size/default").asText()).isEqualTo("1Gi");
        assertThat(journal.at("/storageClassName/pattern").asText()).isEqualTo(Validation.NAME);
        Pattern size = Pattern.compile(journal.at("/size/pattern").asText());
        assertThat(List.of("1Gi", "500Mi", "10G", "2048Ki", "1073741824")).allMatch(s -> size.matcher(s).matches());
        assertThat(List.of("0Gi", "0", "1.5Gi", "1 Gi", "1gb", "-1Gi", "")).noneMatch(s -> size.matcher(s).matches());
    }
}
