package dev.tollgate.api.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.WebhookFormat;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Request bodies of budget alert webhooks, one place for the gateway and the operator.
 *
 * <ul>
 *   <li>{@link WebhookFormat#JSON}: {@code {"id", "type": "budget.threshold_crossed", "source", "scope", "namespace"?,
 *       "name", "thresholdPercent", "percentUsed", "spentUsd", "budgetUsd", "period", "periodStart", "periodEnd",
 *       "firedAt"}}; amounts are decimal strings, instants ISO-8601.</li>
 *   <li>{@link WebhookFormat#SLACK}: {@code {"text": "..."}}, one readable sentence (Slack incoming-webhook shape).</li>
 * </ul>
 */
public final class WebhookPayloads {

    /** Event type in the JSON body. */
    public static final String TYPE = "budget.threshold_crossed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookPayloads() {
    }

    public static String body(BudgetAlert alert, WebhookFormat format) {
        ObjectNode body = JSON.createObjectNode();
        switch (format) {
            case SLACK -> body.put("text", text(alert));
            case JSON -> {
                body.put("id", alert.id());
                body.put("type", TYPE);
                body.put("source", alert.source());
                body.put("scope", alert.scope());
                if (alert.namespace() != null) {
                    body.put("namespace", alert.namespace());
                }
                body.put("name", alert.name());
                body.put("thresholdPercent", alert.threshold());
                body.put("percentUsed", alert.percentUsed());
                body.put("spentUsd", money(alert.spentUsd()));
                body.put("budgetUsd", alert.budgetUsd().stripTrailingZeros().toPlainString());
                body.put("period", alert.period());
                body.put("periodStart", alert.periodStart().toString());
                body.put("periodEnd", alert.periodEnd().toString());
                body.put("firedAt", alert.firedAt().toString());
            }
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** E.g. "Tollgate: team payments reached 80% of its $10 monthly budget (spent $8.12, resets 2026-01-01T00:00:00Z)". */
    public static String text(BudgetAlert alert) {
        String subject = ("key".equals(alert.scope()) ? "key " : "team ")
                + (alert.namespace() == null ? "" : alert.namespace() + "/") + alert.name();
        return "Tollgate: " + subject + " reached " + alert.threshold() + "% of its $" + alert.budgetUsd().stripTrailingZeros().toPlainString()
                + " " + alert.period() + " budget (spent $" + money(alert.spentUsd()) + ", resets " + alert.periodEnd() + ")";
    }

    /** Cents, or more digits when a cent would round a small figure to zero. */
    private static String money(BigDecimal usd) {
        BigDecimal cents = usd.setScale(2, RoundingMode.HALF_UP);
        return cents.signum() == 0 && usd.signum() != 0 ? usd.stripTrailingZeros().toPlainString() : cents.toPlainString();
    }
}
