package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.config.RoutingStrategy;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** One route: public model name, aliases, backends, strategy, retries, backoff, timeouts, circuit breaker, fallbacks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.backends.all(b, self.backends.exists_one(c, c.name == b.name))", message = "backend names must be unique")
@ValidationRule(value = "!has(self.timeout) || !has(self.timeouts) || !has(self.timeouts.request)",
        message = "give either timeout or timeouts.request, not both")
@ValidationRule(value = "!has(self.firstTokenFallbackAfter) || (has(self.fallbacks) && size(self.fallbacks) > 0)",
        message = "firstTokenFallbackAfter needs at least one route in fallbacks")
public class ModelRouteSpec {

    public static final String MODEL_NAME = "^[A-Za-z0-9][-A-Za-z0-9_.:/]{0,127}$";

    @Required
    @JsonPropertyDescription("The LLMGateway (in this namespace) serving this route.")
    public LocalRef gatewayRef;

    @Required
    @Pattern(MODEL_NAME)
    @JsonPropertyDescription("Public model name clients send.")
    public String model;

    @Size(max = 16)
    public List<String> aliases = new ArrayList<>();

    @Required
    @Size(min = 1, max = 32)
    public List<Backend> backends = new ArrayList<>();

    @Default("weighted")
    @JsonPropertyDescription("How a backend is picked: weighted, least-in-flight, lowest-latency, lowest-cost or priority.")
    public RoutingStrategy strategy = RoutingStrategy.WEIGHTED;

    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Further attempts after a retryable failure.")
    public Integer retries;

    @JsonPropertyDescription("Wait between attempts: exponential with jitter.")
    public BackoffSpec backoff;

    @Pattern(Validation.DURATION)
    @JsonPropertyDescription("Timeout of one attempt, e.g. 60s (the same as timeouts.request).")
    public String timeout;

    @JsonPropertyDescription("Time limits of one attempt.")
    public TimeoutsSpec timeouts;

    @JsonPropertyDescription("The circuit breaker each backend of this route gets.")
    public CircuitBreakerSpec circuitBreaker;

    @Size(max = 8)
    @JsonPropertyDescription("Other ModelRoutes (names, same namespace) tried in order when this route's backends are exhausted.")
    public List<String> fallbacks = new ArrayList<>();

    @Size(max = 8)
    @JsonPropertyDescription("ModelRoutes tried when the upstream says the prompt exceeds the context window.")
    public List<String> contextWindowFallbacks = new ArrayList<>();

    @Size(max = 8)
    @JsonPropertyDescription("ModelRoutes tried when the upstream refuses for content policy.")
    public List<String> contentPolicyFallbacks = new ArrayList<>();

    @Pattern(Validation.DURATION)
    @JsonPropertyDescription("Streams: go to fallbacks at once when no first token arrived by then.")
    public String firstTokenFallbackAfter;

    @Default("false")
    @JsonPropertyDescription("Drop request parameters a backend's provider cannot honour instead of refusing with 400.")
    public Boolean dropUnsupportedParams = false;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BackoffSpec {
        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("Wait before the first retry; default 200ms.")
        public String initial;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("Longest wait, also the cap on an honoured retry-after; default 5s.")
        public String max;

        @Min(1)
        @Max(10)
        @JsonPropertyDescription("Growth per retry; default 2.")
        public Double multiplier;

        @Min(0)
        @ValidationRule(value = "self < 1.0", message = "jitter must be below 1")
        @JsonPropertyDescription("Randomization factor in [0, 1); default 0.5.")
        public Double jitter;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TimeoutsSpec {
        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("To open the connection; default 10s.")
        public String connect;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("The whole attempt; default 600s.")
        public String request;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("Streams: to the first chunk; no limit when absent. Not longer than request.")
        public String firstToken;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("Streams: between two chunks; no limit when absent.")
        public String idle;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CircuitBreakerSpec {
        @Min(0)
        @Max(1000)
        @JsonPropertyDescription("Consecutive failed calls that open the circuit; 0 turns the breaker off. Default 5.")
        public Integer failureThreshold;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("How long an open circuit skips the backend; default 30s.")
        public String cooldown;

        @Min(1)
        @Max(100)
        @JsonPropertyDescription("Calls let through after the cooldown; all must succeed to close the circuit. Default 1.")
        public Integer halfOpenProbes;
    }

    public static class LocalRef {
        @Required
        @Pattern(Validation.NAME)
        public String name;

        public LocalRef() {
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.provider != 'azure' || (has(self.baseUrl) && has(self.apiVersion))",
            message = "provider azure needs baseUrl and apiVersion")
    @ValidationRule(value = "self.provider != 'bedrock' || ((has(self.region) || has(self.baseUrl)) && has(self.awsCredentialsSecretRef))",
            message = "provider bedrock needs region (or baseUrl) and awsCredentialsSecretRef")
    public static class Backend {
        @Required
        @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
        @Size(max = 63)
        @JsonPropertyDescription("Unique name; shown in metrics and the x-tollgate-backend header.")
        public String name;

        @Required
        @Pattern("^[a-z][-a-z0-9]{0,31}$")
        @Size(max = 32)
        // its CEL rule (one of ProviderSpecs.ALL) is added to the generated schema: see ProviderIds
        @JsonPropertyDescription("Provider id: openai, azure, anthropic, gemini, bedrock, mock, or a catalog id such as groq.")
        public String provider;

        @Required
        @Pattern("^[^\\s$]{1,128}$")
        @JsonPropertyDescription("Model name sent upstream (Azure: the deployment name; Bedrock: the model id).")
        public String model;

        @Pattern(Validation.HTTP_URL)
        @Size(max = 2048)
        @ValidationRule(value = "isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''", message = "baseUrl must be an http(s) URL")
        @JsonPropertyDescription("Upstream base URL, e.g. https://api.openai.com/v1; defaults to the provider's (required for azure).")
        public String baseUrl;

        @JsonPropertyDescription("Secret key (in the gateway's namespace) holding the upstream API key.")
        public SecretKeyRef credentialSecretRef;

        @Pattern(Validation.API_VERSION)
        @JsonPropertyDescription("Provider API version: Azure api-version (required), anthropic-version, Gemini version.")
        public String apiVersion;

        @Pattern(Validation.AWS_REGION)
        @JsonPropertyDescription("AWS region (bedrock), e.g. us-east-1.")
        public String region;

        @JsonPropertyDescription("Secret (in the gateway's namespace) holding AWS credentials (bedrock).")
        public AwsCredentialsRef awsCredentialsSecretRef;

        @Min(1)
        @JsonPropertyDescription("The provider's requests-per-minute quota for this deployment; the router skips a backend at it.")
        public Integer rpm;

        @Min(1)
        @JsonPropertyDescription("The provider's tokens-per-minute quota for this deployment.")
        public Integer tpm;

        @Min(0)
        @Max(1000)
        @Default("1")
        public Integer weight = 1;

        @Min(0)
        @Max(1000)
        @Default("0")
        @JsonPropertyDescription("Lower is preferred under the priority strategy.")
        public Integer priority = 0;

        @JsonPropertyDescription("USD per million tokens; absent means the built-in price catalog, and a model it lacks leaves the route out (UnpricedModel).")
        public PricingSpec pricing;
    }

    /** Keys of one Secret holding static AWS credentials. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AwsCredentialsRef {
        @Required
        @Pattern(Validation.NAME)
        @JsonPropertyDescription("Secret name.")
        public String name;

        @Default("accessKeyId")
        @Pattern("^[-._a-zA-Z0-9]+$")
        public String accessKeyIdKey = "accessKeyId";

        @Default("secretAccessKey")
        @Pattern("^[-._a-zA-Z0-9]+$")
        public String secretAccessKeyKey = "secretAccessKey";

        @Pattern("^[-._a-zA-Z0-9]+$")
        @JsonPropertyDescription("Key of a session token (temporary credentials); none when absent.")
        public String sessionTokenKey;
    }

    /** USD per million tokens, or {@code free: true} for a self-hosted model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.free) && self.free) ? !(has(self.inputPerMillion) || has(self.outputPerMillion) "
            + "|| has(self.cachedInputPerMillion) || has(self.cacheWriteInputPerMillion) || has(self.reasoningPerMillion)) "
            + ": (has(self.inputPerMillion) && has(self.outputPerMillion))",
            message = "give inputPerMillion and outputPerMillion, or free: true (and no prices)")
    public static class PricingSpec {
        @Min(0)
        public BigDecimal inputPerMillion;
        @Min(0)
        public BigDecimal outputPerMillion;
        @Min(0)
        public BigDecimal cachedInputPerMillion;
        @Min(0)
        @JsonPropertyDescription("Prompt tokens written to the provider's cache (Anthropic, Bedrock); default: inputPerMillion.")
        public BigDecimal cacheWriteInputPerMillion;
        @Min(0)
        @JsonPropertyDescription("Reasoning tokens, where the provider prices them apart; default: outputPerMillion.")
        public BigDecimal reasoningPerMillion;
        @JsonPropertyDescription("A self-hosted model that costs nothing; a backend with neither pricing nor a catalogued model is not served.")
        public Boolean free;
    }
}
