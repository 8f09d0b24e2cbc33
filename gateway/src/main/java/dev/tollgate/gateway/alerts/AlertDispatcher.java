package dev.tollgate.gateway.alerts;

import dev.tollgate.api.alerts.BudgetAlert;
import dev.tollgate.api.alerts.WebhookPayloads;
import dev.tollgate.api.alerts.WebhookSender;
import dev.tollgate.api.config.AlertSettings;
import dev.tollgate.api.config.WebhookConfig;
import dev.tollgate.gateway.limits.BudgetCrossing;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Sends budget alerts of a standalone gateway to its webhooks, at least once and once per threshold, period and
 * subject.
 *
 * <p>{@link #crossed} runs on the request path (under the budget tracker's lock): it only appends to an {@link AlertQueue}
 * (past {@link AlertSettings#queueCapacity()} the oldest alert is dropped, metric {@code tollgate.alerts.dropped}). One
 * virtual thread takes alerts off the queue, {@link AlertLog#claim claims} each per webhook in the ledger database (one
 * pod of a fleet wins; a restart finds the claim and sends nothing), and delivers it on a virtual thread of its own
 * with retries and backoff, so a receiver that hangs delays nothing but its own alerts. A claim that was never
 * delivered is taken over after {@link AlertSettings#redeliverAfter()} by any pod, until it is. While the database is
 * down an alert is sent unclaimed: a duplicate then is possible, a lost alert is not.
 *
 * <p>Metrics: {@code tollgate.alerts.deliveries{webhook, outcome=delivered|failed|already_claimed}} (a failure is one
 * alert whose attempts all failed; already_claimed: another pod, or this one before a restart, had claimed it), and the
 * queue's {@code tollgate.alerts.dropped} and {@code tollgate.alerts.queued}.
 */
public final class AlertDispatcher implements AutoCloseable {

    static final String SOURCE = "gateway";

    /** Deliveries in progress at once; more wait in the queue. */
    static final int MAX_CONCURRENT_DELIVERIES = 16;
    /** Longest wait between two looks for overdue claims. */
    static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(30);
    private static final int SWEEP_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    private final Supplier<AlertSettings> settings;
    private final AlertLog log;
    private final WebhookSender sender;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AlertQueue queue;
    private final Semaphore deliveries = new Semaphore(MAX_CONCURRENT_DELIVERIES);
    private final ConcurrentMap<String, Counter> outcomes = new ConcurrentHashMap<>();
    /** Webhook and alert ids of this pod's deliveries in progress: a sweep never takes one of them over. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread worker;
    private volatile boolean closed;
    private volatile boolean databaseWarned;

    /**
     * @param settings the current alert settings (null: no webhooks), read for every alert so a reload applies
     * @param database the ledger database, where claims are kept
     */
    public AlertDispatcher(Supplier<AlertSettings> settings, DataSource database, WebhookSender sender, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.log = new AlertLog(database);
        this.sender = sender;
        this.clock = clock;
        this.registry = registry;
        this.queue = new AlertQueue(registry);
        this.worker = Thread.ofVirtual().name("tollgate-alerts").start(this::run);
    }

    /** A budget threshold was crossed: queues its alert when webhooks are configured. O(1), never blocks on I/O. */
    public void crossed(BudgetCrossing c) {
        AlertSettings current = settings.get();
        if (current == null || current.webhooks().isEmpty() || closed) {
            return;
        }
        queue.offer(new BudgetAlert(SOURCE, c.scope(), null, c.name(), c.threshold(), c.spentUsd(), c.budgetUsd(), c.period(),
                c.periodStart(), c.periodEnd(), clock.instant()), current.queueCapacity());
    }

    private void run() {
        long nextSweep = System.nanoTime();
        while (!closed) {
            try {
                BudgetAlert alert = queue.poll(nextSweep);
                if (alert != null) {
                    dispatch(alert);
                }
                if (System.nanoTime() - nextSweep >= 0) {
                    sweep();
                    nextSweep = System.nanoTime() + sweepInterval().toNanos();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("budget alert dispatch failed: {}", e.toString());
            }
        }
    }

    private Duration sweepInterval() {
        AlertSettings current = settings.get();
        Duration redeliver = current == null ? MAX_SWEEP_INTERVAL : current.redeliverAfter();
        return redeliver.compareTo(MAX_SWEEP_INTERVAL) < 0 ? redeliver : MAX_SWEEP_INTERVAL;
    }

    /** Claims the alert for every webhook that wants it and starts the deliveries this pod won. */
    private void dispatch(BudgetAlert alert) throws InterruptedException {
        AlertSettings current = settings.get();
        if (current == null) {
            return;
        }
        for (WebhookConfig webhook : current.webhooks()) {
            if (!webhook.wants(alert.threshold())) {
                continue;
            }
            boolean claimed;
            boolean recorded = true;
            try {
                claimed = log.claim(webhook.id(), alert, clock.instant());
            } catch (SQLException | RuntimeException e) {
                claimed = true;
                recorded = false;
                if (!databaseWarned) {
                    databaseWarned = true;
                    LOG.warn("budget alerts cannot be recorded in the ledger database ({}); sending them unrecorded meanwhile, "
                            + "so another pod or a restart may send one again", e.getClass().getSimpleName());
                }
            }
            if (!claimed) {
                outcome(webhook, "already_claimed");
            } else {
                if (recorded) {
                    databaseWarned = false;
                }
                deliverAsync(current, webhook, alert, recorded);
            }
        }
    }

    /** Takes over claims nobody delivered in time (receiver down, pod gone) and delivers them again. */
    private void sweep() throws InterruptedException {
        AlertSettings current = settings.get();
        if (current == null || current.webhooks().isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<AlertLog.Claim> overdue;
        try {
            overdue = log.overdue(now.minus(current.redeliverAfter()), SWEEP_BATCH);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("overdue budget alerts cannot be read: {}", e.toString());
            return;
        }
        for (AlertLog.Claim claim : overdue) {
            WebhookConfig webhook = current.webhooks().stream().filter(w -> w.id().equals(claim.webhook())).findFirst().orElse(null);
            if (inFlight.contains(delivery(claim.webhook(), claim.alert()))) {
                continue; // still being sent by this pod (slower than redeliverAfter)
            }
            try {
                // a webhook no longer configured keeps its row; taking it over pushes it to the back of the next sweeps
                if (log.reclaim(claim, now) && webhook != null) {
                    deliverAsync(current, webhook, claim.alert(), true);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("overdue budget alert cannot be taken over: {}", e.toString());
            }
        }
    }

    private void deliverAsync(AlertSettings current, WebhookConfig webhook, BudgetAlert alert, boolean recorded) throws InterruptedException {
        String delivery = delivery(webhook.id(), alert);
        deliveries.acquire();
        inFlight.add(delivery);
        try {
            Thread.ofVirtual().name("tollgate-alert-delivery").start(() -> {
                try {
                    deliver(current, webhook, alert, recorded);
                } finally {
                    inFlight.remove(delivery);
                    deliveries.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.remove(delivery);
            deliveries.release();
            throw e;
        }
    }

    private static String delivery(String webhook, BudgetAlert alert) {
        return webhook + ' ' + alert.id();
    }

    private void deliver(AlertSettings current, WebhookConfig webhook, BudgetAlert alert, boolean recorded) {
        String body = WebhookPayloads.body(alert, webhook.format());
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(current.retryBackoff().initial(),
                current.retryBackoff().multiplier(), current.retryBackoff().jitter(), current.retryBackoff().max());
        String failure = null;
        for (int attempt = 1; attempt <= current.maxAttempts(); attempt++) {
            try {
                sender.post(webhook.url(), webhook.headers(), alert, body, current.timeout());
                outcome(webhook, "delivered");
                LOG.info("budget alert {} delivered to webhook {} (attempt {})", alert.id(), webhook.id(), attempt);
                if (recorded) {
                    record(() -> log.delivered(webhook.id(), alert, 1, clock.instant()));
                }
                return;
            } catch (WebhookSender.WebhookException e) {
                failure = e.getMessage();
                if (attempt < current.maxAttempts()) {
                    try {
                        Thread.sleep(backoff.apply(attempt));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
                break;
            }
        }
        outcome(webhook, "failed");
        LOG.warn("budget alert {} not delivered to webhook {}: {}; tried again {}", alert.id(), webhook.id(), failure,
                recorded ? "after " + current.redeliverAfter() : "through the queue (its claim could not be recorded)");
        if (recorded) {
            record(() -> log.failed(webhook.id(), alert, current.maxAttempts()));
        } else if (!closed) {
            queue.offer(alert, current.queueCapacity()); // claimed again, or sent unrecorded again, by the dispatcher
        }
    }

    private interface Write {
        void run() throws SQLException;
    }

    private static void record(Write write) {
        try {
            write.run();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("budget alert state cannot be recorded: {}", e.toString());
        }
    }

    private void outcome(WebhookConfig webhook, String outcome) {
        outcomes.computeIfAbsent(webhook.id() + '\0' + outcome, k -> Counter.builder("tollgate.alerts.deliveries")
                .description("Budget alerts delivered to a webhook (2xx), given up on after every attempt failed, or already claimed")
                .tag("webhook", webhook.id()).tag("outcome", outcome).register(registry)).increment();
    }

    /** Stops taking alerts; deliveries in progress finish or fail on their own (their claims are redelivered later). */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
