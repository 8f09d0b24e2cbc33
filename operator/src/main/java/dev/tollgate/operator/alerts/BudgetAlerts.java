package dev.tollgate.operator.alerts;

import dev.tollgate.api.alerts.BudgetAlert;
import dev.tollgate.api.alerts.WebhookPayloads;
import dev.tollgate.api.alerts.WebhookSender;
import dev.tollgate.api.config.BudgetPeriods;
import dev.tollgate.api.config.WebhookFormat;
import dev.tollgate.api.crd.AlertDelivery;
import dev.tollgate.api.crd.BudgetAlertsSpec;
import dev.tollgate.api.crd.BudgetStatus;
import dev.tollgate.api.crd.WebhookSpec;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.spend.BudgetSubject;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert webhooks of a TeamBudget ({@code spec.alerts.webhooks}) or a VirtualKey ({@code spec.budget.alerts.webhooks}),
 * sent during its reconcile: every threshold in
 * {@code status.alertedThresholds} (crossed this period) that a webhook wants and {@code status.alertDeliveries} does not
 * list yet is POSTed (one attempt per reconcile) and, on a 2xx answer, added there. The status patch that follows makes
 * the delivery known to the next reconcile and to an operator that restarts, so each alert is sent once per period; a
 * patch lost after a delivery sends it again (at least once). A failure sets condition {@code AlertsDelivered=False}
 * (reason {@code WebhookFailed}, or {@code WebhookUrlUnresolved} when its Secret or key is missing) and asks for a reconcile after the retry delay.
 */
public final class BudgetAlerts {

    /** Condition type, present while the resource has webhooks. */
    public static final String ALERTS_DELIVERED = "AlertsDelivered";
    static final String SOURCE = "operator";

    private final WebhookSender sender;
    private final Clock clock;
    private final Duration timeout;
    private final Duration retry;

    /** Longest wait for a webhook receiver during a reconcile. */
    public static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    /** Waits {@link #WEBHOOK_TIMEOUT} for an answer; tries a failed delivery again after {@code retry}. */
    public static BudgetAlerts create(Clock clock, Duration retry) {
        return new BudgetAlerts(WebhookSender.create(WEBHOOK_TIMEOUT), clock, WEBHOOK_TIMEOUT, retry);
    }

    /**
     * @param timeout longest wait for one receiver's answer (a reconcile thread waits that long)
     * @param retry   delay before the next attempt after a failure
     */
    public BudgetAlerts(WebhookSender sender, Clock clock, Duration timeout, Duration retry) {
        this.sender = sender;
        this.clock = clock;
        this.timeout = timeout;
        this.retry = retry;
    }

    /**
     * Sends what is due and records it in {@code status} (already holding this reconcile's spend figures).
     *
     * @param spec the resource's alert webhooks, or null
     *
     * @return the delay after which to reconcile again when a delivery failed
     */
    public Optional<Duration> deliver(HasMetadata resource, BudgetAlertsSpec spec, BudgetStatus status, BudgetSubject subject,
                                      ReferencedSecrets secrets) {
        List<WebhookSpec> webhooks = spec == null || spec.webhooks == null ? List.of() : spec.webhooks;
        if (webhooks.isEmpty()) {
            status.alertDeliveries = null;
            status.conditions.removeIf(c -> ALERTS_DELIVERED.equals(c.getType()));
            return Optional.empty();
        }
        if (status.resetAt == null || status.spendUsd == null || subject.cap() == null) {
            return Optional.empty(); // no spend read yet: nothing can have been crossed
        }
        List<AlertDelivery> delivered = new ArrayList<>();
        if (status.alertDeliveries != null) {
            status.alertDeliveries.stream()
                    .filter(d -> status.resetAt.equals(d.resetAt) && webhooks.stream().anyMatch(w -> w.name.equals(d.webhook)))
                    .forEach(delivered::add);
        }
        List<Integer> crossed = status.alertedThresholds == null ? List.of() : status.alertedThresholds.stream().sorted().toList();
        Map<String, String> failures = new LinkedHashMap<>();
        boolean secretMissing = false;
        for (WebhookSpec webhook : webhooks) {
            List<Integer> due = crossed.stream()
                    .filter(t -> webhook.thresholds == null || webhook.thresholds.isEmpty() || webhook.thresholds.contains(t))
                    .filter(t -> delivered.stream().noneMatch(d -> d.webhook.equals(webhook.name) && t.equals(d.threshold)))
                    .toList();
            if (due.isEmpty()) {
                continue;
            }
            URI url = url(resource, webhook, secrets, failures);
            if (url == null) {
                secretMissing = true;
                continue;
            }
            for (int threshold : due) {
                BudgetAlert alert = alert(resource, status, subject, threshold);
                try {
                    sender.post(url, Map.of(), alert, WebhookPayloads.body(alert, format(webhook)), timeout);
                    delivered.add(new AlertDelivery(webhook.name, threshold, status.resetAt, alert.firedAt().toString()));
                } catch (WebhookSender.WebhookException e) {
                    failures.put(webhook.name, e.getMessage());
                    break; // the rest of this webhook's alerts wait for the retry
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.put(webhook.name, "interrupted");
                    break;
                }
            }
        }
        delivered.sort(Comparator.comparing((AlertDelivery d) -> d.webhook).thenComparing(d -> d.threshold));
        status.alertDeliveries = delivered;
        if (failures.isEmpty()) {
            Conditions.set(status, resource, clock, ALERTS_DELIVERED, true, "Delivered",
                    delivered.size() + " alert(s) delivered in the period ending " + status.resetAt);
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder();
        failures.forEach((name, problem) -> message.append(message.isEmpty() ? "" : "; ").append("webhook ").append(name).append(": ").append(problem));
        message.append(" (retrying every ").append(retry.toSeconds() > 0 ? retry.toSeconds() + "s" : retry.toMillis() + "ms").append(')');
        Conditions.set(status, resource, clock, ALERTS_DELIVERED, false, secretMissing ? "WebhookUrlUnresolved" : "WebhookFailed", message.toString());
        return Optional.of(retry);
    }

    /** Whether a webhook of {@code spec} (may be null) takes its URL from Secret {@code secretName}. */
    public static boolean usesSecret(BudgetAlertsSpec spec, String secretName) {
        return spec != null && spec.webhooks != null
                && spec.webhooks.stream().anyMatch(w -> w.urlSecretRef != null && secretName.equals(w.urlSecretRef.name));
    }

    /** The webhook's URL, inline or from its Secret; null (with the problem in {@code failures}) when it cannot be had. */
    private static URI url(HasMetadata resource, WebhookSpec webhook, ReferencedSecrets secrets, Map<String, String> failures) {
        String text = webhook.url;
        if (text == null && webhook.urlSecretRef != null) {
            ReferencedSecrets.Lookup lookup = secrets.find(resource.getMetadata().getNamespace(), webhook.urlSecretRef.name);
            if (!lookup.found()) {
                failures.put(webhook.name, lookup.problem());
                return null;
            }
            text = lookup.value(webhook.urlSecretRef.key);
            if (text == null || text.isEmpty()) {
                failures.put(webhook.name, "Secret " + webhook.urlSecretRef.name + " has no key " + webhook.urlSecretRef.key);
                return null;
            }
        }
        try {
            URI url = text == null ? null : new URI(text);
            if (url != null && url.isAbsolute() && ("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        failures.put(webhook.name, "the URL is not an absolute http(s) URL"); // not repeated: it may be a credential
        return null;
    }

    private BudgetAlert alert(HasMetadata resource, BudgetStatus status, BudgetSubject subject, int threshold) {
        Instant periodEnd = Instant.parse(status.resetAt);
        Instant periodStart = BudgetPeriods.start(subject.period(), periodEnd.minusMillis(1), subject.zone());
        String scope = subject.kind() == BudgetSubject.Kind.VIRTUAL_KEY ? "key" : "team";
        return new BudgetAlert(SOURCE, scope, resource.getMetadata().getNamespace(), resource.getMetadata().getName(), threshold,
                new BigDecimal(status.spendUsd), subject.cap(), subject.period(), periodStart, periodEnd, clock.instant());
    }

    private static WebhookFormat format(WebhookSpec webhook) {
        return "slack".equals(webhook.format) ? WebhookFormat.SLACK : WebhookFormat.JSON;
    }
}
