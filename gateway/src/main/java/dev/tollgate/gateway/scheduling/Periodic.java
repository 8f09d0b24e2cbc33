package dev.tollgate.gateway.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background tasks that repeat: each run starts {@code delay} after the previous one ended, the first one after one
 * delay. A run that throws is logged and the next one still comes; a bare {@code scheduleWithFixedDelay} would keep
 * the exception in a future nobody reads and never run the task again. The scheduler's owner stops it.
 */
public final class Periodic {

    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private Periodic() {
    }

    public static void schedule(ScheduledExecutorService scheduler, Duration delay, Runnable task) {
        long millis = delay.toMillis();
        Future<?> _ = scheduler.scheduleWithFixedDelay(() -> runLogged(task, millis), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void runLogged(Runnable task, long delayMillis) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("A background task failed; it runs again in {} ms", delayMillis, e);
        }
    }
}
