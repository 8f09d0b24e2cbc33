package dev.tollgate.gateway.http.connection;

import dev.tollgate.gateway.scheduling.Periodic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Enforces the header deadline and sheds idle connections under load, on one thread of its own, a few times per
 * header timeout (at most every second, at least every 100 ms): closes every connection whose request head is
 * incomplete past {@link ConnectionLimits#headerTimeout()} (past {@link ConnectionLimits#pressedHeaderTimeout()} while the
 * connector is at 90 % of its limit or more, and for one pressed deadline and one sweep after it last was, so every
 * head that was open under pressure meets the short deadline, not only those overdue in the first sweep that cuts the
 * flood below 90 %), and, while a connector serves more than
 * {@link ConnectionLimits#shedIdleAbove()} connections, closes keep-alive connections idle for a second or more until it
 * is back below (their clients reconnect; what Envoy's overload manager does before it refuses). A sweep reads two volatile fields
 * per connection: 20,000 connections take well under a millisecond. Started and stopped with the Jetty server.
 */
public final class ConnectionSweeper extends AbstractLifeCycle {

    /** Only connections idle this long are shed: one between two requests of a busy client is idle for microseconds. */
    private static final long SHED_MIN_IDLE_MILLIS = 1_000;

    private final List<OpenConnections> connectors;
    private final Duration period;
    private final Counter headerTimeouts;
    private final Counter idleShed;
    /** Per connector (same index), the {@link System#nanoTime()} until which it counts as pressed; sweeping thread only. */
    private final long[] pressedUntil;
    private ScheduledExecutorService timer;

    public ConnectionSweeper(List<OpenConnections> connectors, MeterRegistry registry) {
        this.connectors = List.copyOf(connectors);
        Duration shortest = connectors.stream().map(c -> c.limits().headerTimeout()).min(Duration::compareTo).orElseThrow();
        this.period = clamp(shortest.dividedBy(4), Duration.ofMillis(100), Duration.ofSeconds(1));
        this.headerTimeouts = Counter.builder("tollgate.connections.closed").tag("reason", "header_timeout")
                .description("Connections closed by the gateway").register(registry);
        this.idleShed = Counter.builder("tollgate.connections.closed").tag("reason", "overload_idle")
                .description("Connections closed by the gateway").register(registry);
        this.pressedUntil = new long[this.connectors.size()];
        Arrays.fill(pressedUntil, System.nanoTime());
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tollgate-connection-sweeper").daemon().factory());
        Periodic.schedule(timer, period, this::sweep);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }

    void sweep() {
        long now = System.nanoTime();
        for (int i = 0; i < connectors.size(); i++) {
            OpenConnections open = connectors.get(i);
            int shed = open.admitted() - open.limits().shedIdleAbove();
            long pressedTimeout = open.limits().pressedHeaderTimeout().toNanos();
            if (shed >= 0) {
                pressedUntil[i] = now + pressedTimeout + period.toNanos();
            }
            long timeout = now - pressedUntil[i] < 0 ? pressedTimeout : open.limits().headerTimeout().toNanos();
            for (GuardedHttpConnection c : open.all()) {
                if (c.headOverdue(now, timeout)) {
                    headerTimeouts.increment();
                    c.getEndPoint().close();
                } else if (shed > 0 && c.admission() == Admission.ADMITTED && c.idleFor(SHED_MIN_IDLE_MILLIS)) {
                    shed--;
                    idleShed.increment();
                    c.getEndPoint().close();
                }
            }
        }
    }
}
