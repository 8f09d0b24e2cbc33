package dev.tollgate.gateway.alerts;

import dev.tollgate.api.alerts.BudgetAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Alerts waiting to be claimed and delivered: bounded, and when full the oldest is dropped ({@code tollgate.alerts.dropped};
 * gauge {@code tollgate.alerts.queued}). {@link #offer} never blocks beyond a short lock, so the request path may call it.
 */
final class AlertQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final ArrayDeque<BudgetAlert> alerts = new ArrayDeque<>();
    private final Counter dropped;

    AlertQueue(MeterRegistry registry) {
        this.dropped = Counter.builder("tollgate.alerts.dropped")
                .description("Budget alerts dropped because the alert queue was full (the oldest goes)").register(registry);
        Gauge.builder("tollgate.alerts.queued", this, AlertQueue::size)
                .description("Budget alerts waiting to be claimed and delivered").register(registry);
    }

    /** Appends {@code alert}, first dropping the oldest while {@code capacity} alerts wait. */
    void offer(BudgetAlert alert, int capacity) {
        lock.lock();
        try {
            while (!alerts.isEmpty() && alerts.size() >= capacity) {
                alerts.pollFirst();
                dropped.increment();
            }
            alerts.addLast(alert);
            nonEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest alert, or null once {@code deadline} (a {@link System#nanoTime()}) has passed without one. */
    BudgetAlert poll(long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (alerts.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                nonEmpty.awaitNanos(left);
            }
            return alerts.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return alerts.size();
        } finally {
            lock.unlock();
        }
    }
}
