package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.config.ContentLogging;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;

/** Policy of one virtual key; the key material never appears here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualKeySpec {

    @Required
    @JsonPropertyDescription("The LLMGateway this key opens; its allowedNamespaces must admit this namespace.")
    public GatewayRef gatewayRef;

    @Size(max = 64)
    @JsonPropertyDescription("Public model names this key may call; * (the default) allows all.")
    public List<String> models = new ArrayList<>(List.of("*"));

    public LimitsSpec limits;

    public BudgetSpec budget;

    @Pattern(Validation.TIMESTAMP)
    @JsonPropertyDescription("RFC 3339 instant after which the key is refused.")
    public String expiresAt;

    @Default("false")
    @JsonPropertyDescription("A suspended key is removed from the gateway until resumed.")
    public Boolean suspended = false;

    public Rotation rotation;

    @JsonPropertyDescription("This key's content-logging policy (OFF, REDACTED, FULL); absent uses the gateway's.")
    public ContentLogging contentLogging;

    @Pattern(Validation.NAME)
    @JsonPropertyDescription("Name of the Secret receiving the key; defaults to <name>-key.")
    public String secretName;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Rotation {
        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("Rotate automatically this long after the key was written, e.g. 30d.")
        public String every;

        @Pattern(Validation.DURATION)
        @Default("1h")
        @JsonPropertyDescription("How long the previous key stays valid after a rotation.")
        public String gracePeriod = "1h";
    }

    public String secretNameOr(String resourceName) {
        return secretName == null || secretName.isBlank() ? resourceName + "-key" : secretName;
    }
}
