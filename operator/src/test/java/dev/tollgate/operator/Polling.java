package dev.tollgate.operator;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/**
 * Awaitility as the operator tests wait for the operator: the condition is checked at once and then every 50 ms
 * (Awaitility's default waits 100 ms before the first check and between checks, about 0.15 s per wait).
 */
final class Polling {

    static final Duration INTERVAL = Duration.ofMillis(50);

    private Polling() {
    }

    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(INTERVAL);
    }
}
