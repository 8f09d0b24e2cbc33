package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Conditions: Ready, Accepted, Suspended, Expired, BudgetExceeded. Never carries key material beyond the hint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualKeyStatus extends BudgetStatus {
    public String secretName;
    /** Last four characters of the key, to tell keys apart. */
    public String keyHint;
    public String rotatedAt;
}
