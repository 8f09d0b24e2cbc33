package dev.tollgate.gateway.limits;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * This pod's own counters. Each limit is divided by {@code shares} (the number of replicas when there is no shared
 * Redis, 1 otherwise), rounded down but never below 1, so the fleet together stays within the limit.
 */
final class LocalCounters implements LimitCounters {

    private final Clock clock;
    private final IntSupplier shares;
    private final ConcurrentMap<String, Subject> subjects = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** One subject's windows and in-flight count. */
    private static final class Subject {
        final SlidingWindow requests = new SlidingWindow();
        final SlidingWindow tokens = new SlidingWindow();
        long inFlight;
    }

    LocalCounters(Clock clock, IntSupplier shares) {
        this.clock = clock;
        this.shares = shares;
    }

    /** The share of a fleet-wide limit this pod enforces; -1 when the limit is not set. */
    long share(Integer limit) {
        if (limit == null) {
            return -1;
        }
        return Math.max(1, limit / Math.max(1, shares.getAsInt()));
    }

    @Override
    public LimitOutcome acquire(List<LimitAsk> asks, String leaseId, long leaseTtlMillis) {
        long nowMillis = clock.millis();
        long nowSecond = Math.floorDiv(nowMillis, 1000);
        long reset = (nowSecond + SlidingWindow.BUCKETS) * 1000 - nowMillis;
        List<Subject> found = new ArrayList<>(asks.size());
        for (LimitAsk ask : asks) {
            found.add(subjects.computeIfAbsent(ask.subject(), k -> new Subject()));
        }
        List<LimitOutcome.SubjectUsage> usage = new ArrayList<>(asks.size());
        lock.lock();
        try {
            for (int i = 0; i < asks.size(); i++) {
                LimitAsk ask = asks.get(i);
                Subject s = found.get(i);
                long rpm = share(ask.rpm());
                long tpm = share(ask.tpm());
                long parallel = share(ask.parallel());
                long usedRequests = rpm < 0 ? 0 : s.requests.used(nowSecond);
                long usedTokens = tpm < 0 ? 0 : s.tokens.used(nowSecond);
                usage.add(new LimitOutcome.SubjectUsage(rpm, usedRequests, tpm, usedTokens, parallel, s.inFlight, reset));
                if (rpm >= 0 && usedRequests + 1 > rpm) {
                    return LimitOutcome.refused(i, LimitKind.RPM, s.requests.millisUntilRoom(nowMillis, 1, rpm), usage);
                }
                if (tpm >= 0 && usedTokens + ask.tokens() > tpm) {
                    return LimitOutcome.refused(i, LimitKind.TPM, s.tokens.millisUntilRoom(nowMillis, ask.tokens(), tpm), usage);
                }
                if (parallel >= 0 && s.inFlight + 1 > parallel) {
                    return LimitOutcome.refused(i, LimitKind.PARALLEL, 1000, usage);
                }
            }
            for (int i = 0; i < asks.size(); i++) {
                LimitAsk ask = asks.get(i);
                Subject s = found.get(i);
                LimitOutcome.SubjectUsage u = usage.get(i);
                if (ask.rpm() != null) {
                    s.requests.add(nowSecond, nowSecond, 1);
                }
                if (ask.tpm() != null) {
                    s.tokens.add(nowSecond, nowSecond, ask.tokens());
                }
                if (ask.parallel() != null) {
                    s.inFlight++;
                }
                usage.set(i, new LimitOutcome.SubjectUsage(u.rpmLimit(), u.usedRequests() + (ask.rpm() != null ? 1 : 0),
                        u.tpmLimit(), u.usedTokens() + (ask.tpm() != null ? ask.tokens() : 0), u.parallelLimit(),
                        u.inFlight() + (ask.parallel() != null ? 1 : 0), reset));
            }
        } finally {
            lock.unlock();
        }
        return new LimitOutcome(true, -1, null, 0, usage, new LimitHold(false, nowSecond, asks, leaseId));
    }

    @Override
    public void release(LimitHold hold, long tokenDelta, boolean requestReturned) {
        long nowSecond = Math.floorDiv(clock.millis(), 1000);
        long bucket = hold.bucketSecond() < 0 ? nowSecond : hold.bucketSecond();
        lock.lock();
        try {
            for (LimitAsk ask : hold.asks()) {
                Subject s = subjects.get(ask.subject());
                if (s == null) {
                    continue;
                }
                if (ask.tpm() != null && tokenDelta != 0) {
                    s.tokens.add(bucket, nowSecond, tokenDelta);
                }
                if (ask.rpm() != null && requestReturned) {
                    s.requests.add(bucket, nowSecond, -1);
                }
                if (ask.parallel() != null && hold.leaseId() != null && s.inFlight > 0) {
                    s.inFlight--;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
