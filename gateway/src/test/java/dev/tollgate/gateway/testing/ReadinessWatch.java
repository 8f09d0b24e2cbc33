package dev.tollgate.gateway.testing;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks a gateway's {@code /health/readiness} over and over, as a kubelet does (only faster), until closed, and keeps
 * every answer that was not 200: a test then asserts the pod never left its Service.
 */
public final class ReadinessWatch implements AutoCloseable {

    /** Forty probes a second: a kubelet asks every few seconds; faster only makes a short dip more likely to be seen. */
    private static final long PACE_MILLIS = 25;

    private final Http http;
    private final List<String> notReady = new CopyOnWriteArrayList<>();
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread prober;

    public ReadinessWatch(int port) {
        this.http = new Http(port);
        this.prober = Thread.ofVirtual().name("readiness-watch").start(() -> {
            while (running.get()) {
                HttpResponse<String> r = http.get("/health/readiness", null);
                probes.incrementAndGet();
                if (r.statusCode() != 200) {
                    notReady.add(r.statusCode() + " " + r.body());
                }
                try {
                    Thread.sleep(PACE_MILLIS); // pacing a poller, not waiting for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Probes answered so far. */
    public int probes() {
        return probes.get();
    }

    /** Every answer other than 200, as status and body. */
    public List<String> notReady() {
        return List.copyOf(notReady);
    }

    /** Stops probing and waits for the last probe. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        prober.join();
    }
}
