package dev.tollgate.operator.spend;

import dev.tollgate.api.config.BudgetPeriods;
import dev.tollgate.api.crd.GatewayRef;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.BudgetZones;
import dev.tollgate.operator.cluster.LedgerNames;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What spend tracking needs to know of one VirtualKey or TeamBudget: its name in the ledger, its gateway, its period
 * and budget, and the thresholds that raise an Event.
 *
 * @param ledgerName name in the ledger and the snapshot, {@code <namespace>/<name>}
 * @param cap        the budget in USD, null when the resource has none (spend is still shown)
 */
public record BudgetSubject(Kind kind, HasMetadata resource, String ledgerName, GatewayRef gatewayRef, String period, ZoneId zone,
                            BigDecimal cap, List<Integer> thresholds) {

    /** Percentages of a budget at which an Event is emitted, when the resource names none. */
    public static final List<Integer> DEFAULT_ALERT_THRESHOLDS = List.of(50, 80, 100);

    /** The two kinds with spend; each reads its own ledger column. */
    public enum Kind {
        VIRTUAL_KEY("VirtualKey"), TEAM_BUDGET("TeamBudget");

        private final String kindName;

        Kind(String kindName) {
            this.kindName = kindName;
        }

        public String kindName() {
            return kindName;
        }

        Map<String, LedgerReader.Total> read(LedgerReader ledger, Collection<String> names, Instant since) throws SQLException {
            return this == VIRTUAL_KEY ? ledger.byKey(names, since) : ledger.byTeam(names, since);
        }
    }

    public static BudgetSubject of(VirtualKey vk) {
        var budget = vk.getSpec().budget;
        return new BudgetSubject(Kind.VIRTUAL_KEY, vk, LedgerNames.keyName(vk), vk.getSpec().gatewayRef,
                budget == null || budget.period == null ? "monthly" : budget.period, BudgetZones.zone(budget == null ? null : budget.timeZone),
                budget == null ? null : budget.amountUsd, BudgetSubject.DEFAULT_ALERT_THRESHOLDS);
    }

    public static BudgetSubject of(TeamBudget tb) {
        return new BudgetSubject(Kind.TEAM_BUDGET, tb, LedgerNames.teamName(tb), tb.getSpec().gatewayRef,
                tb.getSpec().period == null ? "monthly" : tb.getSpec().period, BudgetZones.zone(tb.getSpec().timeZone), tb.getSpec().amountUsd,
                tb.getSpec().alertThresholds == null ? BudgetSubject.DEFAULT_ALERT_THRESHOLDS : tb.getSpec().alertThresholds);
    }

    public String namespace() {
        return resource.getMetadata().getNamespace();
    }

    public String name() {
        return resource.getMetadata().getName();
    }

    /** Start of the period that contains {@code now}. */
    Instant periodStart(Instant now) {
        return BudgetPeriods.start(period, now, zone);
    }

    /** End of the period that starts at {@code start}. */
    Instant periodEnd(Instant start) {
        return BudgetPeriods.end(period, start, zone);
    }
}
