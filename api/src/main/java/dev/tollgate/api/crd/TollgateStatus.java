package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What every Tollgate kind reports: the generation last acted on and its conditions (always including {@code Ready}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TollgateStatus {

    /** The {@code metadata.generation} this status describes. */
    public Long observedGeneration;

    /** Standard conditions; {@code Ready} is always present once reconciled. */
    public List<Condition> conditions = new ArrayList<>();
}
