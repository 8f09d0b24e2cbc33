package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/** Conditions: Ready, Accepted, Suspended, Expired, BudgetExceeded. Never carries key material beyond the hint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualKeyStatus extends TollgateStatus {
    public String secretName;
    /** Last four characters of the key, to tell keys apart. */
    public String keyHint;
    public String rotatedAt;
    public String spendUsd;
    public String remainingUsd;
    public Integer percentUsed;
    public String resetAt;
    public String lastUsedAt;
    /** Alert thresholds (percent) already announced in the period ending at {@link #resetAt}. */
    public List<Integer> alertedThresholds = new ArrayList<>();
}
