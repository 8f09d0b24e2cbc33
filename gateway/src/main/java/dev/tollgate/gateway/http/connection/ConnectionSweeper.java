package dev.tollgate.gateway.http.connection;

import dev.tollgate.gateway.scheduling.Periodic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Enforces the header deadline and sheds idle connections under load, on one thread of its own, a few times per
 * header timeout (at most every second, at least every 100 ms): closes every connection whose request head is
 * incomplete past {@link ConnectionLimits#headerTimeout()} (past {@link ConnectionLimits#pressedHeaderTimeout()} while the
 * connector is at 90 % of its limit or more), and, while a connector serves more than
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
    private ScheduledExecutorService timer;

    public ConnectionSweeper(List<OpenConnections> connectors, MeterRegistry registry) {
        this.connectors = List.copyOf(connectors);
        Duration shortest = connectors.stream().map(c -> c.limits().headerTimeout()).min(Duration::compareTo).orElseThrow();
        this.period = clamp(shortest.dividedBy(4), Duration.ofMillis(100), Duration.ofSeconds(1));
        this.headerTimeouts = Counter.builder("tollgate.connections.closed").tag("reason", "header_timeout")
                .description("Connections closed by the gateway").register(registry);
        this.idleShed = Counter.builder("tollgate.connections.closed").tag("reason", "overload_idle")
                .description("Connections closed by the gateway").register(registry);
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
        for (OpenConnections open : connectors) {
            int shed = open.admitted() - open.limits().shedIdleAbove();
            long timeout = (shed >= 0 ? open.limits().pressedHeaderTimeout() : open.limits().headerTimeout()).toNanos();
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
