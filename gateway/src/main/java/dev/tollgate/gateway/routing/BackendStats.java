package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this gateway has seen of each backend: requests in flight now and moving averages (EWMA) of the time to the
 * first token of streams and of the total time of other requests. Feeds the least-in-flight and lowest-latency
 * strategies. Kept by backend name, so it survives configuration reloads.
 */
public final class BackendStats {

    /** Weight of the newest sample in the moving averages. */
    static final double ALPHA = 0.2;

    private final ConcurrentMap<String, Entry> byName = new ConcurrentHashMap<>();

    public Entry of(BackendConfig backend) {
        Entry e = byName.get(backend.name());
        return e != null ? e : byName.computeIfAbsent(backend.name(), k -> new Entry());
    }

    /** One backend's numbers. */
    public static final class Entry {
        private final AtomicInteger inFlight = new AtomicInteger();
        private double firstTokenNanos = Double.NaN;
        private double totalNanos = Double.NaN;

        public int inFlight() {
            return inFlight.get();
        }

        void started() {
            inFlight.incrementAndGet();
        }

        void finished() {
            inFlight.decrementAndGet();
        }

        synchronized void recordFirstToken(long nanos) {
            firstTokenNanos = Double.isNaN(firstTokenNanos) ? nanos : ALPHA * nanos + (1 - ALPHA) * firstTokenNanos;
        }

        synchronized void recordTotal(long nanos) {
            totalNanos = Double.isNaN(totalNanos) ? nanos : ALPHA * nanos + (1 - ALPHA) * totalNanos;
        }

        /** Average time to first token (streams) or total time (otherwise) in nanoseconds; NaN before the first sample. */
        public synchronized double latencyNanos(boolean stream) {
            return stream ? firstTokenNanos : totalNanos;
        }
    }
}
