package dev.tollgate.api.config;

import java.time.Duration;
import java.util.List;

/**
 * Budget alert webhooks of a standalone gateway (in a cluster the operator sends them from TeamBudget and VirtualKey
 * status instead, and renders no alert settings into the gateway's configuration).
 *
 * @param webhooks       receivers; each is told about every threshold crossing it {@link WebhookConfig#wants}
 * @param queueCapacity  alerts waiting for delivery; past it the oldest is dropped (metric {@code tollgate.alerts.dropped})
 * @param maxAttempts    POSTs per alert before it waits for {@code redeliverAfter}
 * @param retryBackoff   wait between those attempts
 * @param timeout        longest wait for a receiver's answer
 * @param redeliverAfter an alert claimed but not delivered (receiver down, pod gone) is tried again after this long,
 *                       by any pod sharing the ledger database, until it is delivered
 */
public record AlertSettings(List<WebhookConfig> webhooks, int queueCapacity, int maxAttempts, Backoff retryBackoff,
                            Duration timeout, Duration redeliverAfter) {

    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REDELIVER_AFTER = Duration.ofMinutes(5);

    public AlertSettings {
        webhooks = List.copyOf(webhooks);
    }
}
