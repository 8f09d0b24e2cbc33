package dev.tollgate.operator.spend;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code tollgate_budget_used_ratio{kind, resource_namespace, resource_name, period}}: spend of the current period over
 * the budget, per VirtualKey and TeamBudget with a budget (1.0 = exhausted). Set by the spend poller; a resource that
 * disappears from a poll loses its gauge, so deleted keys do not linger in Prometheus.
 */
public final class BudgetGauges {

    public static final String NAME = "tollgate.budget.used.ratio";

    private record Id(String kind, String namespace, String name) {
    }

    private record Entry(AtomicReference<Double> value, Gauge gauge) {
    }

    private final MeterRegistry registry;
    private final Map<Id, Entry> gauges = new ConcurrentHashMap<>();

    public BudgetGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void set(String kind, String namespace, String name, String period, double ratio) {
        Id id = new Id(kind, namespace, name);
        Entry e = gauges.get(id);
        if (e != null && !period.equals(e.gauge().getId().getTag("period"))) {
            registry.remove(e.gauge());
            gauges.remove(id);
            e = null;
        }
        if (e == null) {
            AtomicReference<Double> value = new AtomicReference<>(ratio);
            Gauge g = Gauge.builder(NAME, value, AtomicReference::get)
                    .tag("kind", kind).tag("resource_namespace", namespace).tag("resource_name", name).tag("period", period)
                    .description("Spend of the current period divided by the budget").register(registry);
            gauges.put(id, new Entry(value, g));
        } else {
            e.value().set(ratio);
        }
    }

    /** Drops the gauges of {@code kind} whose resources are not in {@code live} ("namespace/name"). */
    void retain(String kind, Set<String> live) {
        gauges.entrySet().removeIf(en -> {
            boolean gone = en.getKey().kind().equals(kind) && !live.contains(en.getKey().namespace() + "/" + en.getKey().name());
            if (gone) {
                registry.remove(en.getValue().gauge());
            }
            return gone;
        });
    }
}
