package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.request.ClientStream;
import dev.tollgate.gateway.scheduling.Periodic;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Notices a streaming client that went away while the upstream is silent. A closed client connection is only seen
 * when something is written to it, and a stream whose upstream pauses (a long thought, a stalled provider) writes
 * nothing: its upstream call, its key's parallel slot and its backend's in-flight count were held until the upstream
 * ended. So every open stream that has sent its first byte and been silent for {@code interval} gets its API's
 * keep-alive (an SSE comment, or Anthropic's {@code ping} event, which clients ignore); when that write fails the
 * stream's {@code onGone} runs, once. One scheduler thread looks at every stream per tick; writes run on virtual
 * threads, so a slow client never delays another.
 */
public final class StreamKeepAlive implements AutoCloseable {

    private final long intervalNanos;
    private final Set<Watched> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    public StreamKeepAlive(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("tollgate-stream-keepalive").daemon(true).unstarted(r));
        Periodic.schedule(ticker, interval, this::tick);
    }

    /**
     * Watches {@code stream} until the returned action is run; once it has returned, no keep-alive is written (the
     * response may be complete and its connection serving the client's next request).
     */
    public Runnable watch(ClientStream stream, Runnable onGone) {
        Watched w = new Watched(stream, onGone);
        streams.add(w);
        return w::stop;
    }

    private void tick() {
        for (Watched w : streams) {
            if (w.stream.started() && !w.busy) {
                w.busy = true;
                Thread.startVirtualThread(() -> w.keepAlive(intervalNanos));
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    private final class Watched {
        final ClientStream stream;
        final Runnable onGone;
        final ReentrantLock lock = new ReentrantLock();
        volatile boolean busy;
        boolean stopped;

        Watched(ClientStream stream, Runnable onGone) {
            this.stream = stream;
            this.onGone = onGone;
        }

        void keepAlive(long idleNanos) {
            lock.lock();
            try {
                if (!stopped) {
                    stream.keepAlive(idleNanos);
                }
                busy = false;
            } catch (IOException | RuntimeException gone) {
                if (streams.remove(this)) {
                    onGone.run();
                }
            } finally {
                lock.unlock();
            }
        }

        void stop() {
            streams.remove(this);
            lock.lock();
            try {
                stopped = true;
            } finally {
                lock.unlock();
            }
        }
    }
}
