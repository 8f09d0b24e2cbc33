package dev.tollgate.operator.spend;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.GatewayLookup;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One poll of one kind: groups the primaries by gateway, reads each gateway's ledger once (one query per period start),
 * and answers a {@link LedgerSpend} per primary. Never throws: a gateway whose ledger fails gives its primaries an
 * {@link LedgerSpend.Unreachable} and is retried after a backoff, while the other gateways are read as usual.
 * Off the leader it reads nothing and answers what it answered last.
 */
final class SpendFetcher<P extends HasMetadata> implements PollingEventSource.GenericResourceFetcher<LedgerSpend> {

    private static final Logger LOG = LoggerFactory.getLogger(SpendFetcher.class);

    private record Failure(int attempts, long retryAtNanos) {
    }

    private final SpendTracking tracking;
    private final BudgetSubject.Kind kind;
    private final Supplier<Stream<P>> primaries;
    private final Function<ResourceID, Optional<LLMGateway>> gateways;
    private final ReferencedSecrets databases;
    private final Function<P, BudgetSubject> subjects;
    /** Touched by the event source's timer thread only (JOSDK polls under a lock). */
    private final Map<ResourceID, Failure> failures = new HashMap<>();
    private Map<ResourceID, LedgerSpend> last = Map.of();

    SpendFetcher(SpendTracking tracking, BudgetSubject.Kind kind, Supplier<Stream<P>> primaries,
                 Function<ResourceID, Optional<LLMGateway>> gateways, ReferencedSecrets databases, Function<P, BudgetSubject> subjects) {
        this.tracking = tracking;
        this.kind = kind;
        this.primaries = primaries;
        this.gateways = gateways;
        this.databases = databases;
        this.subjects = subjects;
    }

    @Override
    public Map<ResourceID, Set<LedgerSpend>> fetchResources() {
        if (tracking.leading.getAsBoolean()) {
            last = poll();
        }
        return last.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Set.of(e.getValue())));
    }

    private Map<ResourceID, LedgerSpend> poll() {
        Instant now = tracking.clock.instant();
        Map<ResourceID, List<BudgetSubject>> byGateway = new LinkedHashMap<>();
        Set<String> budgeted = new HashSet<>();
        primaries.get().filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(subjects).filter(s -> s.gatewayRef() != null)
                .forEach(s -> {
                    byGateway.computeIfAbsent(new ResourceID(s.gatewayRef().name, s.gatewayRef().namespaceOr(s.namespace())), g -> new ArrayList<>()).add(s);
                    if (s.cap() != null) {
                        budgeted.add(s.namespace() + "/" + s.name());
                    }
                });
        Map<ResourceID, LedgerSpend> next = new HashMap<>();
        byGateway.forEach((gwId, subjects) -> gateways.apply(gwId)
                .filter(gw -> gw.getSpec() != null && gw.getSpec().database != null)
                .ifPresent(gw -> next.putAll(poll(gwId, gw, subjects, now))));
        failures.keySet().retainAll(byGateway.keySet());
        tracking.gauges.retain(kind.kindName(), budgeted);
        return next;
    }

    private Map<ResourceID, LedgerSpend> poll(ResourceID gwId, LLMGateway gw, List<BudgetSubject> subjects, Instant now) {
        Map<ResourceID, LedgerSpend> out = new HashMap<>();
        Failure failure = failures.get(gwId);
        if (failure != null && System.nanoTime() - failure.retryAtNanos() < 0) {
            subjects.forEach(s -> Optional.ofNullable(last.get(id(s))).ifPresent(previous -> out.put(id(s), previous)));
            return out;
        }
        try {
            Map<String, Boolean> admitted = new HashMap<>();
            List<BudgetSubject> ofGateway = subjects.stream()
                    .filter(s -> admitted.computeIfAbsent(s.namespace(), ns -> GatewayLookup.admits(tracking.client, gw, ns))).toList();
            LedgerReader ledger = new LedgerReader(tracking.ledgers.of(gw, databases));
            Map<Instant, List<BudgetSubject>> byPeriod = ofGateway.stream().collect(Collectors.groupingBy(s -> s.periodStart(now)));
            for (Map.Entry<Instant, List<BudgetSubject>> period : byPeriod.entrySet()) {
                Map<String, LedgerReader.Total> totals = kind.read(ledger, period.getValue().stream().map(BudgetSubject::ledgerName).toList(), period.getKey());
                for (BudgetSubject s : period.getValue()) {
                    LedgerReader.Total t = totals.get(s.ledgerName());
                    LedgerSpend.Read read = new LedgerSpend.Read(t == null ? 0 : t.costPico(), t == null ? null : t.lastUsedAt(), period.getKey(), now);
                    out.put(id(s), fresher(last.get(id(s)), read));
                    if (s.cap() != null) {
                        tracking.gauges.set(kind.kindName(), s.namespace(), s.name(), s.period(),
                                SpendStatus.ratio(SpendStatus.usd(read.costPico()), s.cap()));
                    }
                }
            }
            if (failure != null) {
                LOG.info("spend of LLMGateway {} read again after {} failed attempts", gwId, failure.attempts());
            }
            failures.remove(gwId);
            tracking.countRead(gw, true);
        } catch (Exception e) {
            int attempts = failure == null ? 1 : failure.attempts() + 1;
            var delay = tracking.backoff(attempts);
            failures.put(gwId, new Failure(attempts, System.nanoTime() + delay.toNanos()));
            LedgerSpend.Unreachable unreachable = unreachable(e, now);
            LOG.warn("spend of LLMGateway {} not read (attempt {}, next in {} ms): {}", gwId, attempts, delay.toMillis(), unreachable.message());
            subjects.forEach(s -> out.put(id(s), fresher(last.get(id(s)), unreachable)));
            tracking.countRead(gw, false);
        }
        return out;
    }

    private static ResourceID id(BudgetSubject s) {
        return ResourceID.fromResource(s.resource());
    }

    /**
     * The previous value when the new one says nothing new, so no event (and no status write) follows: the same figures
     * read again within {@link SpendTracking#AS_OF_REFRESH}, or the same failure again. A failure keeps its first time.
     */
    static LedgerSpend fresher(LedgerSpend previous, LedgerSpend next) {
        return switch (next) {
            case LedgerSpend.Read n when previous instanceof LedgerSpend.Read p && p.sameFigures(n)
                    && n.asOf().isBefore(p.asOf().plus(SpendTracking.AS_OF_REFRESH)) -> p;
            case LedgerSpend.Unreachable n when previous instanceof LedgerSpend.Unreachable p ->
                    p.reason().equals(n.reason()) && p.message().equals(n.message()) ? p : new LedgerSpend.Unreachable(n.reason(), n.message(), p.since());
            default -> next;
        };
    }

    /** Reason and message of a failed read; the message names what failed and never carries a credential. */
    static LedgerSpend.Unreachable unreachable(Exception e, Instant now) {
        if (e instanceof Ledgers.LedgerUnavailable u) {
            return new LedgerSpend.Unreachable(u.reason, u.getMessage(), now);
        }
        if (e instanceof KubernetesClientException k) {
            return new LedgerSpend.Unreachable("DatabaseSecretUnreadable", "database Secret cannot be read: HTTP " + k.getCode()
                    + (k.getStatus() == null || k.getStatus().getMessage() == null ? "" : " " + k.getStatus().getMessage()), now);
        }
        Throwable root = rootCause(e);
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new LedgerSpend.Unreachable("LedgerUnreachable", "ledger database cannot be read: "
                + (text.length() > 300 ? text.substring(0, 300) + "…" : text), now);
    }

    @SuppressWarnings("ReferenceEquality") // a cause chain is walked by identity
    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
