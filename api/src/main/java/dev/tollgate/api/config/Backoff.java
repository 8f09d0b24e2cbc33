package dev.tollgate.api.config;

import java.time.Duration;

/**
 * Wait between attempts: exponential with random jitter. An upstream {@code retry-after} longer than the computed wait
 * is honoured up to {@code max}.
 *
 * @param initial    wait before the first retry
 * @param max        longest wait, also the cap on an honoured {@code retry-after}
 * @param multiplier growth per retry (at least 1)
 * @param jitter     randomization factor in [0, 1): the wait is drawn from {@code wait × (1 ± jitter)}
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, 0.5);
}
