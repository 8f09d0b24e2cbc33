package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Rate limits; an absent field is unlimited. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LimitsSpec {

    @Min(1)
    @JsonPropertyDescription("Requests per minute.")
    public Integer rpm;

    @Min(1)
    @JsonPropertyDescription("Tokens (prompt + completion) per minute.")
    public Integer tpm;

    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("Requests in flight at once.")
    public Integer parallel;

    public LimitsSpec() {
    }
}
