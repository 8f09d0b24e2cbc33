package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Points at an {@code LLMGateway}; never an ownerReference, since it usually crosses namespaces. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayRef {

    @Required
    @Pattern(Validation.NAME)
    @JsonPropertyDescription("Name of the LLMGateway.")
    public String name;

    @Pattern(Validation.NAME)
    @JsonPropertyDescription("Namespace of the LLMGateway; defaults to this resource's namespace.")
    public String namespace;

    public GatewayRef() {
    }

    /** The gateway's namespace, defaulting to {@code own}. */
    public String namespaceOr(String own) {
        return namespace == null || namespace.isBlank() ? own : namespace;
    }
}
