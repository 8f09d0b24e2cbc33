package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.RedisSettings;
import dev.tollgate.gateway.scheduling.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The counters the gateway uses: Redis when configured and reachable, else this pod's share
 * ({@code limit / replicas}). Losing Redis is logged once and counted; a background probe notices when it is back
 * and switches over again, replaying the releases that could not be sent meanwhile.
 *
 * <p>Local fast path: a subject refused for rpm (or for tpm with at least as many tokens) is refused from memory
 * until the retry time the counters gave, without a round trip; a token release on this pod lifts a tpm block. So a request costs at most one synchronous round trip
 * (the admission); releases are sent without waiting.
 */
final class FleetCounters implements LimitCounters, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetCounters.class);
    private static final int MAX_QUEUED_RELEASES = 100_000;

    private final Clock clock;
    private final LocalCounters local;
    private final RedisCounters redis;
    private final String redisAddress;
    private final LimitMetrics metrics;
    private final ScheduledExecutorService probe;
    private final ConcurrentMap<String, Blocked> blocked = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<QueuedRelease> unsent = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsentCount = new AtomicInteger();
    private volatile boolean redisUp;

    private record Blocked(long untilMillis, long tokens) {
    }

    private record QueuedRelease(LimitHold hold, long tokenDelta, boolean requestReturned) {
    }

    /**
     * @param redisSettings null for per-pod shares only
     * @param replicas      current number of replicas (from the configuration snapshot)
     * @param probeInterval how often a pod without Redis checks whether it is back
     */
    FleetCounters(RedisSettings redisSettings, IntSupplier replicas, Clock clock, LimitMetrics metrics, Duration probeInterval) {
        this.clock = clock;
        this.local = new LocalCounters(clock, replicas);
        this.metrics = metrics;
        if (redisSettings == null) {
            this.redis = null;
            this.redisAddress = null;
            this.probe = null;
            return;
        }
        this.redis = new RedisCounters(redisSettings);
        this.redisAddress = redisSettings.address();
        RuntimeException failure = null;
        for (int attempt = 0; attempt < 3 && !redisUp; attempt++) { // the first connect also warms up the client
            try {
                redis.ping();
                redisUp = true;
                metrics.redisUp(true);
                LOG.info("limits are shared through Redis at {}", redisAddress);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (!redisUp) {
            down(failure);
        }
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("tollgate-redis-probe").daemon(true).unstarted(r));
        Periodic.schedule(probe, probeInterval, this::probeOnce);
    }

    /** True while the shared Redis counters are in use. */
    boolean shared() {
        return redisUp;
    }

    @Override
    public LimitOutcome acquire(List<LimitAsk> asks, String leaseId, long leaseTtlMillis) {
        LimitOutcome fast = refusedFromMemory(asks);
        if (fast != null) {
            return fast;
        }
        LimitOutcome outcome = null;
        if (redisUp) {
            try {
                outcome = redis.acquire(asks, leaseId, leaseTtlMillis);
            } catch (RuntimeException e) {
                down(e);
            }
        }
        if (outcome == null) {
            outcome = local.acquire(asks, leaseId, leaseTtlMillis);
        }
        if (!outcome.allowed() && outcome.kind() != LimitKind.PARALLEL) {
            LimitAsk ask = asks.get(outcome.refused());
            blocked.put(ask.subject() + '\0' + outcome.kind(), new Blocked(clock.millis() + outcome.retryAfterMillis(),
                    outcome.kind() == LimitKind.TPM ? ask.tokens() : 1));
        }
        return outcome;
    }

    private LimitOutcome refusedFromMemory(List<LimitAsk> asks) {
        if (blocked.isEmpty()) {
            return null;
        }
        long now = clock.millis();
        for (int i = 0; i < asks.size(); i++) {
            LimitAsk ask = asks.get(i);
            for (LimitKind kind : new LimitKind[] {LimitKind.RPM, LimitKind.TPM}) {
                if ((kind == LimitKind.RPM ? ask.rpm() : ask.tpm()) == null) {
                    continue;
                }
                String id = ask.subject() + '\0' + kind;
                Blocked b = blocked.get(id);
                if (b == null) {
                    continue;
                }
                if (b.untilMillis() <= now) {
                    blocked.remove(id, b);
                } else if (kind == LimitKind.RPM || ask.tokens() >= b.tokens()) {
                    long rpm = redisUp ? limitOf(ask.rpm()) : local.share(ask.rpm());
                    long tpm = redisUp ? limitOf(ask.tpm()) : local.share(ask.tpm());
                    long parallel = redisUp ? limitOf(ask.parallel()) : local.share(ask.parallel());
                    List<LimitOutcome.SubjectUsage> usage = new ArrayList<>();
                    for (int j = 0; j < i; j++) {
                        usage.add(new LimitOutcome.SubjectUsage(-1, 0, -1, 0, -1, 0, 0));
                    }
                    usage.add(new LimitOutcome.SubjectUsage(rpm, kind == LimitKind.RPM ? rpm : 0, tpm, kind == LimitKind.TPM ? tpm : 0,
                            parallel, 0, b.untilMillis() - now));
                    return LimitOutcome.refused(i, kind, b.untilMillis() - now, usage);
                }
            }
        }
        return null;
    }

    private static long limitOf(Integer limit) {
        return limit == null ? -1 : limit;
    }

    @Override
    public void release(LimitHold hold, long tokenDelta, boolean requestReturned) {
        if ((tokenDelta < 0 || requestReturned) && !blocked.isEmpty()) {
            for (LimitAsk ask : hold.asks()) {
                blocked.remove(ask.subject() + '\0' + LimitKind.TPM); // tokens given back: ask the counters again
                if (requestReturned) {
                    blocked.remove(ask.subject() + '\0' + LimitKind.RPM);
                }
            }
        }
        if (!hold.remote()) {
            local.release(hold, tokenDelta, requestReturned);
            return;
        }
        if (!redisUp) {
            queue(hold, tokenDelta, requestReturned);
            return;
        }
        redis.releaseAsync(hold, tokenDelta, requestReturned).whenComplete((ok, e) -> {
            if (e != null) {
                queue(hold, tokenDelta, requestReturned);
                down(e);
            }
        });
    }

    private void queue(LimitHold hold, long tokenDelta, boolean requestReturned) {
        if (unsentCount.incrementAndGet() <= MAX_QUEUED_RELEASES) {
            unsent.add(new QueuedRelease(hold, tokenDelta, requestReturned));
        } else {
            unsentCount.decrementAndGet(); // leases left behind expire with their TTL
        }
    }

    private synchronized void down(Throwable e) {
        if (redisUp || probe == null) {
            LOG.warn("Redis at {} is unreachable ({}); each pod now enforces its own share of every limit until it is back",
                    redisAddress, e.getClass().getSimpleName());
            metrics.fellBack();
        }
        redisUp = false;
        blocked.clear();
        metrics.redisUp(false);
    }

    private void probeOnce() {
        if (redisUp) {
            return;
        }
        try {
            redis.ping();
        } catch (RuntimeException e) {
            return;
        }
        QueuedRelease r;
        while ((r = unsent.poll()) != null) {
            unsentCount.decrementAndGet();
            try {
                redis.releaseAsync(r.hold(), r.tokenDelta(), r.requestReturned()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                unsent.add(r);
                unsentCount.incrementAndGet();
                return;
            }
        }
        synchronized (this) {
            blocked.clear();
            redisUp = true;
        }
        metrics.redisUp(true);
        LOG.info("Redis at {} is reachable again; limits are shared across the fleet again", redisAddress);
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.shutdownNow();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
