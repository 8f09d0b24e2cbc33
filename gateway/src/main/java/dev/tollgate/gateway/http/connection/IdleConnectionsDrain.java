package dev.tollgate.gateway.http.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.util.component.Graceful;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * When the server starts its graceful stop, closes every keep-alive connection that is idle at that moment (no request
 * head being read, no request being handled), so its client reconnects to another pod at once. Jetty would close them
 * only after its shutdown idle timeout (1 s), a delay every stop paid per idle client; connections in the middle of a
 * request or stream are left alone, and Jetty closes each after its response.
 */
public final class IdleConnectionsDrain implements Graceful {

    private final List<OpenConnections> connectors;
    private final Counter closed;
    private volatile boolean shutdown;

    public IdleConnectionsDrain(List<OpenConnections> connectors, MeterRegistry registry) {
        this.connectors = List.copyOf(connectors);
        this.closed = Counter.builder("tollgate.connections.closed").tag("reason", "shutdown_idle")
                .description("Connections closed by the gateway").register(registry);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        for (OpenConnections open : connectors) {
            for (GuardedHttpConnection c : open.all()) {
                if (c.admission() == Admission.ADMITTED && c.idleFor(0)) {
                    closed.increment();
                    c.getEndPoint().close();
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }
}
