package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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

/** One route: public model name, aliases, backends, strategy, retries, timeout, fallbacks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.backends.all(b, self.backends.exists_one(c, c.name == b.name))", message = "backend names must be unique")
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
    @JsonPropertyDescription("How a backend is picked.")
    public Strategy strategy = Strategy.weighted;

    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Further attempts after a retryable failure.")
    public Integer retries;

    @Pattern(Validation.DURATION)
    @JsonPropertyDescription("Timeout of one attempt, e.g. 60s.")
    public String timeout;

    @Size(max = 8)
    @JsonPropertyDescription("Other ModelRoutes (names, same namespace) tried in order when this route's backends are exhausted.")
    public List<String> fallbacks = new ArrayList<>();

    public enum Strategy { weighted, priority }

    public static class LocalRef {
        @Required
        @Pattern(Validation.NAME)
        public String name;

        public LocalRef() {
        }

        public LocalRef(String name) {
            this.name = name;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.provider == 'mock' || has(self.baseUrl)", message = "baseUrl is required unless provider is mock")
    public static class Backend {
        @Required
        @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
        @Size(max = 63)
        @JsonPropertyDescription("Unique name; shown in metrics and the x-tollgate-backend header.")
        public String name;

        @Required
        @Pattern("^[a-z][-a-z0-9]{0,31}$")
        @Size(max = 32)
        @JsonPropertyDescription("Provider id: openai, azure-openai, anthropic, mock, ...")
        public String provider;

        @Required
        @Pattern("^[^\\s]{1,128}$")
        @JsonPropertyDescription("Model name sent upstream.")
        public String model;

        @Pattern(Validation.HTTP_URL)
        @Size(max = 2048)
        @ValidationRule(value = "isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''", message = "baseUrl must be an http(s) URL")
        @JsonPropertyDescription("Upstream base URL, e.g. https://api.openai.com/v1.")
        public String baseUrl;

        @JsonPropertyDescription("Secret key (in the gateway's namespace) holding the upstream API key.")
        public SecretKeyRef credentialSecretRef;

        @Min(0)
        @Max(1000)
        @Default("1")
        public Integer weight = 1;

        @Min(0)
        @Max(1000)
        @Default("0")
        @JsonPropertyDescription("Lower is preferred under the priority strategy.")
        public Integer priority = 0;

        @JsonPropertyDescription("USD per million tokens; absent means the gateway's built-in table.")
        public PricingSpec pricing;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PricingSpec {
        @Required
        @Min(0)
        public BigDecimal inputPerMillion;
        @Required
        @Min(0)
        public BigDecimal outputPerMillion;
        @Min(0)
        public BigDecimal cachedInputPerMillion;
    }
}
