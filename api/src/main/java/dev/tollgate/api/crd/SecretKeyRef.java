package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in a namespace fixed by the referring resource. */
public class SecretKeyRef {

    @Required
    @Pattern(Validation.NAME)
    @JsonPropertyDescription("Secret name.")
    public String name;

    @Required
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key inside the Secret's data.")
    public String key;

    public SecretKeyRef() {
    }
}
