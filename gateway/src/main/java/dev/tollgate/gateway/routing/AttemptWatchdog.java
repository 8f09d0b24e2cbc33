package dev.tollgate.gateway.routing;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces an attempt's time limits, which the HTTP client's own timeouts do not (a stream's wait for its headers is
 * untimed there, and a whole answer's timeout is only a backstop after the deadline): the whole attempt, the first
 * chunk of a stream, and the idle time between chunks. When a limit passes, the watchdog
 * interrupts the attempt's thread, which aborts a blocked {@code send} or read of the upstream body; the attempt then
 * asks {@link Guard#disarm()} which limit fired. One scheduler thread serves every attempt; a guard re-arms itself for
 * the next deadline instead of being rescheduled per chunk, so a chunk costs one volatile write.
 */
public final class AttemptWatchdog implements AutoCloseable {

    /** Which limit ended an attempt, or that its client went away. */
    public enum Reason { REQUEST_TIMEOUT, FIRST_TOKEN_TIMEOUT, SLOW_FIRST_TOKEN, IDLE_TIMEOUT, CLIENT_GONE }

    private final ScheduledThreadPoolExecutor scheduler;

    public AttemptWatchdog() {
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tollgate-attempt-watchdog");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        // A task that is always due within a second keeps the scheduler's queue from running empty: an attempt's
        // deadline (seconds away) then never becomes the queue's head, and scheduling it does not wake the scheduler
        // thread. Without it, at low concurrency every attempt woke that thread once (a thread switch per request).
        ScheduledFuture<?> _ = scheduler.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Starts watching the calling thread.
     *
     * @param request          whole attempt
     * @param firstToken       first chunk, or null
     * @param slowFirstToken   first chunk for the fallback threshold, or null
     * @param idle             between chunks, or null
     */
    public Guard watch(Duration request, Duration firstToken, Duration slowFirstToken, Duration idle) {
        Guard g = new Guard(Thread.currentThread(), System.nanoTime(), nanos(request), nanos(firstToken), nanos(slowFirstToken), nanos(idle));
        g.schedule(g.nextDeadline() - g.start);
        return g;
    }

    private static long nanos(Duration d) {
        return d == null ? 0 : d.toNanos();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One attempt being watched. */
    public final class Guard {
        private final Thread thread;
        private final long start;
        private final long request;
        private final long firstToken;
        private final long slowFirstToken;
        private final long idle;
        private volatile long lastChunk;
        private volatile long firstChunk;
        private ScheduledFuture<?> task;
        private boolean disarmed;
        private Reason fired;

        private Guard(Thread thread, long start, long request, long firstToken, long slowFirstToken, long idle) {
            this.thread = thread;
            this.start = start;
            this.request = request;
            this.firstToken = firstToken;
            this.slowFirstToken = slowFirstToken;
            this.idle = idle;
        }

        /** A chunk arrived: the first-token limits are met and the idle limit starts again. */
        public void chunk() {
            long now = System.nanoTime();
            lastChunk = now;
            if (firstChunk == 0) {
                firstChunk = now;
                if (idle > 0) {
                    rearm(idle); // the pending check was for the first-token or whole-request deadline
                }
            }
        }

        /** {@link System#nanoTime()} of the first chunk, 0 before it. */
        public long firstChunkNanos() {
            return firstChunk;
        }

        /**
         * Stops watching; after it returns the thread will not be interrupted by this guard, and an interrupt it
         * already delivered is cleared.
         *
         * @return the limit that fired, or null
         */
        public synchronized Reason disarm() {
            disarmed = true;
            if (task != null) {
                task.cancel(false);
            }
            if (fired != null) {
                Thread.interrupted();
            }
            return fired;
        }

        /** Ends the attempt now, its client having gone away: interrupts it as a limit would. */
        public void clientGone() {
            fire(Reason.CLIENT_GONE);
        }

        private synchronized void rearm(long delayNanos) {
            if (task != null) {
                task.cancel(false);
            }
            schedule(delayNanos);
        }

        private synchronized void schedule(long delayNanos) {
            if (!disarmed) {
                try {
                    task = scheduler.schedule(this::check, Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    disarmed = true; // the gateway is shutting down: let the attempt finish unwatched
                }
            }
        }

        private void check() {
            long now = System.nanoTime();
            Reason reason = due(now);
            if (reason == null) {
                schedule(nextDeadline() - now);
                return;
            }
            fire(reason);
        }

        private synchronized void fire(Reason reason) {
            if (!disarmed && fired == null) {
                fired = reason;
                thread.interrupt();
            }
        }

        private Reason due(long now) {
            long chunk = lastChunk;
            if (request > 0 && now - start >= request) {
                return Reason.REQUEST_TIMEOUT;
            }
            if (chunk == 0) {
                if (slowFirstToken > 0 && now - start >= slowFirstToken) {
                    return Reason.SLOW_FIRST_TOKEN;
                }
                if (firstToken > 0 && now - start >= firstToken) {
                    return Reason.FIRST_TOKEN_TIMEOUT;
                }
            } else if (idle > 0 && now - chunk >= idle) {
                return Reason.IDLE_TIMEOUT;
            }
            return null;
        }

        /** The earliest deadline still ahead, as a {@link System#nanoTime()} value. */
        private long nextDeadline() {
            long next = request > 0 ? start + request : Long.MAX_VALUE;
            long chunk = lastChunk;
            if (chunk == 0) {
                if (slowFirstToken > 0) {
                    next = Math.min(next, start + slowFirstToken);
                }
                if (firstToken > 0) {
                    next = Math.min(next, start + firstToken);
                }
            } else if (idle > 0) {
                next = Math.min(next, chunk + idle);
            }
            return next;
        }
    }
}
