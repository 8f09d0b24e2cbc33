package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every CEL rule of the generated CRDs, run by CEL-Java as the API server runs it ({@code self} = the defaulted value
 * at the rule's schema node, typed from the schema) on examples it must accept and refuse. The table names each rule
 * by kind, schema path and message; a rule without a row (or a row without a rule) fails the build.
 */
class CelRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final List<Case> CASES = List.of(
            rule("LLMGateway", "spec", "give either redisUrlSecretRef or redis, not both")
                    .accepts("{redis: {urlSecretRef: {name: redis, key: url}}}", "{redisUrlSecretRef: {name: redis, key: url}}", "{}")
                    .refuses("{redisUrlSecretRef: {name: redis, key: url}, redis: {urlSecretRef: {name: redis, key: url}}}"),
            rule("LLMGateway", "spec.allowedNamespaces", "selector is required when from is Selector")
                    .accepts("{from: Selector, selector: {matchLabels: {tenant: 'true'}}}", "{from: All}", "{}")
                    .refuses("{from: Selector}"),
            rule("LLMGateway", "spec.autoscaling", "maxReplicas must be at least minReplicas")
                    .accepts("{minReplicas: 2, maxReplicas: 2}", "{maxReplicas: 5}")
                    .refuses("{minReplicas: 3, maxReplicas: 2}", "{maxReplicas: 1}"),
            rule("LLMGateway", "spec.security.managementPort", "managementPort must differ from the API port 4000")
                    .accepts("9090")
                    .refuses("4000"),
            rule("LLMGateway", "spec.database.timeout", "timeout must be at least 250ms")
                    .accepts("250ms", "999ms", "1000ms", "1s", "5s", "2m")
                    .refuses("1ms", "99ms", "249ms"),
            rule("LLMGateway", "spec.podLabels", "podLabels must not set app.kubernetes.io/name, app.kubernetes.io/instance, "
                    + "app.kubernetes.io/component or app.kubernetes.io/managed-by: the operator sets them and selects the gateway's pods by them")
                    .accepts("{team: platform, app.kubernetes.io/part-of: llm}", "{}")
                    .refuses("{app.kubernetes.io/name: other}", "{team: a, app.kubernetes.io/managed-by: helm}"),
            rule("ModelRoute", "spec", "backend names must be unique")
                    .accepts("{backends: [{name: a}, {name: b}]}")
                    .refuses("{backends: [{name: a}, {name: b}, {name: a}]}"),
            rule("ModelRoute", "spec", "give either timeout or timeouts.request, not both")
                    .accepts("{timeout: 30s, timeouts: {connect: 5s}}", "{timeouts: {request: 30s}}", "{timeout: 30s}")
                    .refuses("{timeout: 30s, timeouts: {request: 60s}}"),
            rule("ModelRoute", "spec", "firstTokenFallbackAfter needs at least one route in fallbacks")
                    .accepts("{firstTokenFallbackAfter: 2s, fallbacks: [gpt-4o-mini]}", "{fallbacks: []}")
                    .refuses("{firstTokenFallbackAfter: 2s}", "{firstTokenFallbackAfter: 2s, fallbacks: []}"),
            rule("ModelRoute", "spec.backends[]", "provider azure needs baseUrl and apiVersion")
                    .accepts("{provider: azure, baseUrl: 'https://x.openai.azure.com', apiVersion: 2024-10-21}", "{provider: openai}")
                    .refuses("{provider: azure, baseUrl: 'https://x.openai.azure.com'}", "{provider: azure, apiVersion: 2024-10-21}"),
            rule("ModelRoute", "spec.backends[]", "provider bedrock needs region (or baseUrl) and awsCredentialsSecretRef")
                    .accepts("{provider: bedrock, region: us-east-1, awsCredentialsSecretRef: {name: aws}}",
                            "{provider: bedrock, baseUrl: 'https://bedrock.internal', awsCredentialsSecretRef: {name: aws}}", "{provider: mock}")
                    .refuses("{provider: bedrock, region: us-east-1}", "{provider: bedrock, awsCredentialsSecretRef: {name: aws}}"),
            rule("ModelRoute", "spec.backends[].pricing", "give inputPerMillion and outputPerMillion, or free: true (and no prices)")
                    .accepts("{inputPerMillion: 3, outputPerMillion: 15}", "{free: true}",
                            "{free: false, inputPerMillion: 0, outputPerMillion: 0, reasoningPerMillion: 1}")
                    .refuses("{}", "{inputPerMillion: 3}", "{free: false}", "{free: true, inputPerMillion: 3}",
                            "{free: true, cacheWriteInputPerMillion: 1}"),
            rule("ModelRoute", "spec.backends[].provider", "unknown provider id (see docs/providers.md)")
                    .accepts("openai", "litellm", "gemini-openai")
                    .refuses("open-ai", "OpenAI", "''"),
            rule("ModelRoute", "spec.backends[].baseUrl", "baseUrl must be an http(s) URL")
                    .accepts("'https://api.openai.com/v1'", "'http://vllm.llm.svc:8000/v1'", "'http://[::1]:8000'")
                    .refuses("api.openai.com", "'ftp://x/y'", "'https://'", "'https:// spaced'", "'https://host:port/v1'", "'mailto:a@b.c'"),
            rule("ModelRoute", "spec.backoff.jitter", "jitter must be below 1")
                    .accepts("0", "0.5")
                    .refuses("1", "1.5"),
            rule("TeamBudget", "spec.alertThresholds", "thresholds are percentages between 1 and 1000")
                    .accepts("[50, 80, 100, 150]", "[]")
                    .refuses("[0, 50]", "[50, 1001]"),
            rule("TeamBudget", "spec.alerts.webhooks", "webhook names must be unique")
                    .accepts("[{name: a, url: 'https://a'}, {name: b, url: 'https://b'}]", "[]")
                    .refuses("[{name: a, url: 'https://a'}, {name: a, url: 'https://b'}]"),
            rule("TeamBudget", "spec.alerts.webhooks[]", "give exactly one of url and urlSecretRef")
                    .accepts("{name: a, url: 'https://hooks.example.com/x'}", "{name: a, urlSecretRef: {name: slack, key: url}}")
                    .refuses("{name: a}", "{name: a, url: 'https://x', urlSecretRef: {name: slack, key: url}}"),
            rule("TeamBudget", "spec.alerts.webhooks[].thresholds", "thresholds are percentages between 1 and 1000")
                    .accepts("[80, 100]", "[]")
                    .refuses("[0]", "[1001]"),
            rule("VirtualKey", "spec.budget.alerts.webhooks", "webhook names must be unique")
                    .accepts("[{name: a, url: 'https://a'}, {name: b, url: 'https://b'}]")
                    .refuses("[{name: a, url: 'https://a'}, {name: a, url: 'https://b'}]"),
            rule("VirtualKey", "spec.budget.alerts.webhooks[]", "give exactly one of url and urlSecretRef")
                    .accepts("{name: a, url: 'https://hooks.example.com/x'}", "{name: a, urlSecretRef: {name: slack, key: url}}")
                    .refuses("{name: a}", "{name: a, url: 'https://x', urlSecretRef: {name: slack, key: url}}"),
            rule("VirtualKey", "spec.budget.alerts.webhooks[].thresholds", "thresholds are percentages between 1 and 1000")
                    .accepts("[80, 100]")
                    .refuses("[0]", "[1001]"),
            rule("VirtualKey", "spec.budget.alertPercents", "alertPercents are percentages between 1 and 100")
                    .accepts("[80, 100]", "[1]")
                    .refuses("[0]", "[80, 120]"));

    private static final Map<String, GeneratedCrds.Rule> RULES = GeneratedCrds.rules().stream()
            .collect(Collectors.toMap(GeneratedCrds.Rule::id, Function.identity()));

    /** One rule and examples of {@code self} (YAML) it must accept and refuse. */
    record Case(String id, List<String> accepted, List<String> refused) {

        Case accepts(String... values) {
            return new Case(id, List.of(values), refused);
        }

        Case refuses(String... values) {
            return new Case(id, accepted, List.of(values));
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private static Case rule(String kind, String path, String message) {
        return new Case(kind + " " + path + ": " + message, List.of(), List.of());
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @Test
    void everyRuleInTheGeneratedCrdsHasAcceptedAndRefusedExamples() {
        assertThat(RULES).as("rules found in the generated CRDs").hasSizeGreaterThanOrEqualTo(14);
        assertThat(CASES).extracting(Case::id).as("one row per rule, no row for a rule that is gone")
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(RULES.keySet());
        assertThat(CASES).allSatisfy(c -> assertThat(c.accepted()).as(c.id()).isNotEmpty())
                .allSatisfy(c -> assertThat(c.refused()).as(c.id()).isNotEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleAcceptsItsValidExamples(Case c) {
        GeneratedCrds.Rule rule = RULES.get(c.id());
        for (String yaml : c.accepted()) {
            assertThat(CelValidation.refusal(rule, defaulted(rule, yaml), rule.path())).as(yaml).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleRefusesItsInvalidExamplesWithItsMessage(Case c) {
        GeneratedCrds.Rule rule = RULES.get(c.id());
        for (String yaml : c.refused()) {
            assertThat(CelValidation.refusal(rule, defaulted(rule, yaml), rule.path())).as(yaml)
                    .hasValue(rule.path() + ": Invalid value: \"" + rule.schema().path("type").asText() + "\": " + rule.message());
        }
    }

    @Test
    void aRuleNamingAFieldTheSchemaLacksDoesNotCompileAsTheApiServerWouldRefuseTheCrd() {
        JsonNode autoscaling = GeneratedCrds.schema("LLMGateway").at("/properties/spec/properties/autoscaling");

        assertThatThrownBy(() -> KubernetesCel.compile("self.maxReplica >= self.minReplicas", autoscaling, "autoscaling"))
                .hasMessageContaining("undefined field 'maxReplica'");
        assertThatThrownBy(() -> KubernetesCel.compile("self.maxReplicas >= 'two'", autoscaling, "autoscaling"))
                .hasMessageContaining("found no matching overload");
    }

    private static JsonNode defaulted(GeneratedCrds.Rule rule, String yaml) {
        try {
            return Defaulting.apply(rule.schema(), YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
