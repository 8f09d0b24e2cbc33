package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/** A budget alert the operator delivered to a webhook (answered 2xx) in the period ending at {@link #resetAt}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertDelivery {

    /** Name of the webhook in {@code spec.alerts.webhooks}. */
    public String webhook;
    /** The threshold percent announced. */
    public Integer threshold;
    /** End of the period the alert belongs to. */
    public String resetAt;
    public String deliveredAt;

    public AlertDelivery() {
    }

    public AlertDelivery(String webhook, Integer threshold, String resetAt, String deliveredAt) {
        this.webhook = webhook;
        this.threshold = threshold;
        this.resetAt = resetAt;
        this.deliveredAt = deliveredAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertDelivery d && Objects.equals(webhook, d.webhook) && Objects.equals(threshold, d.threshold)
                && Objects.equals(resetAt, d.resetAt) && Objects.equals(deliveredAt, d.deliveredAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(webhook, threshold, resetAt, deliveredAt);
    }
}
