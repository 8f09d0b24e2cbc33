package dev.tollgate.gateway.limits;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate-limit headroom per limited key and team, as the last admission on this pod saw it: the enforced limit and what
 * was left of it, per {@code rpm}, {@code tpm} and {@code parallel}. Gauges are registered the first time a subject is
 * seen (subjects are configured keys and teams with limits, so they are bounded by the configuration); after that an
 * admission only sets six numbers.
 */
final class LimitHeadroom {

    private final LimitMetrics metrics;
    private final ConcurrentMap<String, Subject> subjects = new ConcurrentHashMap<>();

    LimitHeadroom(LimitMetrics metrics) {
        this.metrics = metrics;
    }

    /** Records each ask's state after an admission (taken or refused). */
    void seen(List<LimitAsk> asks, List<LimitOutcome.SubjectUsage> usage) {
        for (int i = 0; i < asks.size() && i < usage.size(); i++) {
            LimitOutcome.SubjectUsage u = usage.get(i);
            Subject s = subjects.computeIfAbsent(asks.get(i).subject(), this::register);
            s.set(s.rpm, s.rpmLeft, u.rpmLimit(), u.usedRequests());
            s.set(s.tpm, s.tpmLeft, u.tpmLimit(), u.usedTokens());
            s.set(s.parallel, s.parallelLeft, u.parallelLimit(), u.inFlight());
        }
    }

    private Subject register(String subject) {
        int colon = subject.indexOf(':');
        String scope = subject.substring(0, colon);
        String name = subject.substring(colon + 1);
        Subject s = new Subject();
        metrics.rateLimit(scope, name, "rpm", s.rpm, s.rpmLeft);
        metrics.rateLimit(scope, name, "tpm", s.tpm, s.tpmLeft);
        metrics.rateLimit(scope, name, "parallel", s.parallel, s.parallelLeft);
        return s;
    }

    /** One subject's limits and headroom; -1 where the limit is not enforced. */
    private static final class Subject {
        final AtomicLong rpm = new AtomicLong(-1);
        final AtomicLong rpmLeft = new AtomicLong(-1);
        final AtomicLong tpm = new AtomicLong(-1);
        final AtomicLong tpmLeft = new AtomicLong(-1);
        final AtomicLong parallel = new AtomicLong(-1);
        final AtomicLong parallelLeft = new AtomicLong(-1);

        void set(AtomicLong limit, AtomicLong left, long enforced, long used) {
            limit.set(enforced);
            left.set(enforced < 0 ? -1 : Math.max(0, enforced - used));
        }
    }
}
