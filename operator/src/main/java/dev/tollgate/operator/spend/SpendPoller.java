package dev.tollgate.operator.spend;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.BudgetPeriods;
import dev.tollgate.operator.gateway.BudgetZones;
import dev.tollgate.api.crd.BudgetStatus;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.api.crd.VirtualKeyStatus;
import dev.tollgate.api.crd.TeamBudgetStatus;
import dev.tollgate.operator.Conditions;
import dev.tollgate.operator.GatewayLookup;
import dev.tollgate.operator.OperatorSettings;
import dev.tollgate.operator.StatusDiff;
import dev.tollgate.operator.gateway.SnapshotRenderer;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every few seconds: reads period totals from each gateway's ledger database and patches VirtualKey and TeamBudget
 * status (spend, remaining, percentUsed, resetAt, lastUsedAt, BudgetExceeded) only when something changed. Crossing
 * an alert threshold emits one Kubernetes Event per threshold and period.
 */
public final class SpendPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpendPoller.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final BudgetGauges gauges;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    public SpendPoller(KubernetesClient client, Clock clock) {
        this(client, clock, new BudgetGauges(new SimpleMeterRegistry()));
    }

    public SpendPoller(KubernetesClient client, Clock clock, BudgetGauges gauges) {
        this.client = client;
        this.clock = clock;
        this.gauges = gauges;
    }

    public void pollOnce() {
        Set<String> liveKeys = new HashSet<>();
        Set<String> liveTeams = new HashSet<>();
        boolean complete = true;
        for (LLMGateway gw : client.resources(LLMGateway.class).inAnyNamespace().list().getItems()) {
            if (gw.getSpec() == null || gw.getSpec().database == null) {
                continue;
            }
            try {
                poll(gw, liveKeys, liveTeams);
            } catch (Exception e) {
                complete = false;
                LOG.warn("spend of LLMGateway {}/{} not read: {}", gw.getMetadata().getNamespace(), gw.getMetadata().getName(), e.toString());
            }
        }
        if (complete) {
            gauges.retain("VirtualKey", liveKeys);
            gauges.retain("TeamBudget", liveTeams);
        }
    }

    private void poll(LLMGateway gw, Set<String> liveKeys, Set<String> liveTeams) throws Exception {
        LedgerReader ledger = new LedgerReader(pool(gw));
        Instant now = Instant.now(clock);
        Map<String, Boolean> admitted = new HashMap<>();
        for (VirtualKey vk : client.resources(VirtualKey.class).inAnyNamespace().list().getItems()) {
            if (vk.getSpec() == null || !GatewayLookup.refersTo(vk.getSpec().gatewayRef, vk, gw) || vk.getMetadata().getDeletionTimestamp() != null
                    || !admitted.computeIfAbsent(vk.getMetadata().getNamespace(), ns -> GatewayLookup.admits(client, gw, ns))) {
                continue;
            }
            String period = vk.getSpec().budget == null || vk.getSpec().budget.period == null ? "monthly" : vk.getSpec().budget.period;
            String name = SnapshotRenderer.keyName(vk);
            ZoneId zone = BudgetZones.zone(vk.getSpec().budget == null ? null : vk.getSpec().budget.timeZone);
            LedgerReader.Total total = ledger.byKey(List.of(name), BudgetPeriods.start(period, now, zone)).get(name);
            BigDecimal cap = vk.getSpec().budget == null ? null : vk.getSpec().budget.amountUsd;
            VirtualKeyStatus s = StatusDiff.copy(vk.getStatus(), VirtualKeyStatus.class);
            Figures f = apply(vk, vk.getStatus(), s, total, cap, period, zone, now, OperatorSettings.DEFAULT_ALERT_THRESHOLDS, "VirtualKey " + name);
            if (f.ratio != null) {
                gauges.set("VirtualKey", vk.getMetadata().getNamespace(), vk.getMetadata().getName(), period, f.ratio);
                liveKeys.add(name);
            }
            f.applyTo(s);
            publish(vk, VirtualKey.class, VirtualKeyStatus.class, vk.getStatus(), s);
        }
        for (TeamBudget tb : client.resources(TeamBudget.class).inAnyNamespace().list().getItems()) {
            if (tb.getSpec() == null || !GatewayLookup.refersTo(tb.getSpec().gatewayRef, tb, gw) || tb.getMetadata().getDeletionTimestamp() != null
                    || !admitted.computeIfAbsent(tb.getMetadata().getNamespace(), ns -> GatewayLookup.admits(client, gw, ns))) {
                continue;
            }
            String period = tb.getSpec().period == null ? "monthly" : tb.getSpec().period;
            String team = SnapshotRenderer.teamName(tb);
            ZoneId zone = BudgetZones.zone(tb.getSpec().timeZone);
            LedgerReader.Total total = ledger.byTeam(List.of(team), BudgetPeriods.start(period, now, zone)).get(team);
            TeamBudgetStatus s = StatusDiff.copy(tb.getStatus(), TeamBudgetStatus.class);
            List<Integer> thresholds = tb.getSpec().alertThresholds == null ? OperatorSettings.DEFAULT_ALERT_THRESHOLDS : tb.getSpec().alertThresholds;
            Figures f = apply(tb, tb.getStatus(), s, total, tb.getSpec().amountUsd, period, zone, now, thresholds, "team " + team);
            if (f.ratio != null) {
                gauges.set("TeamBudget", tb.getMetadata().getNamespace(), tb.getMetadata().getName(), period, f.ratio);
                liveTeams.add(team);
            }
            f.applyTo(s);
            publish(tb, TeamBudget.class, TeamBudgetStatus.class, tb.getStatus(), s);
        }
    }

    /** Patches the spend part of a status only when it changed, merging into the status as it is now on the server. */
    private <R extends io.fabric8.kubernetes.client.CustomResource<?, S>, S extends BudgetStatus> void publish(
            R resource, Class<R> type, Class<S> statusType, S previous, S computed) {
        if (StatusDiff.same(previous, computed)) {
            return;
        }
        client.resources(type).inNamespace(resource.getMetadata().getNamespace()).withName(resource.getMetadata().getName())
                .editStatus(current -> {
                    S merged = StatusDiff.copy(current.getStatus(), statusType);
                    merged.spendUsd = computed.spendUsd;
                    merged.remainingUsd = computed.remainingUsd;
                    merged.percentUsed = computed.percentUsed;
                    merged.resetAt = computed.resetAt;
                    merged.lastUsedAt = computed.lastUsedAt;
                    merged.alertedThresholds = computed.alertedThresholds;
                    merged.conditions = withCondition(merged.conditions, Conditions.find(computed.conditions, Conditions.BUDGET_EXCEEDED));
                    current.setStatus(merged);
                    return current;
                });
    }

    private record Figures(String spend, String remaining, Integer percent, String resetAt, String lastUsedAt, List<Integer> alerted,
                           Double ratio) {

        void applyTo(BudgetStatus s) {
            s.spendUsd = spend;
            s.remainingUsd = remaining;
            s.percentUsed = percent;
            s.resetAt = resetAt;
            s.lastUsedAt = lastUsedAt == null ? s.lastUsedAt : lastUsedAt;
            s.alertedThresholds = alerted;
        }
    }

    /** Computes the figures, sets BudgetExceeded on {@code s}, and emits an Event per newly crossed threshold. */
    private Figures apply(HasMetadata owner, BudgetStatus previous, BudgetStatus s, LedgerReader.Total total, BigDecimal cap, String period, ZoneId zone, Instant now,
                          List<Integer> thresholds, String who) {
        BigDecimal spend = SpendStatus.usd(total == null ? 0 : total.costPico());
        String resetAt = BudgetPeriods.end(period, now, zone).toString();
        List<Integer> previouslyAlerted = previous == null ? null : previous.alertedThresholds;
        String previousReset = previous == null ? null : previous.resetAt;
        List<Integer> alerted = new ArrayList<>(previouslyAlerted == null || !resetAt.equals(previousReset) ? List.of() : previouslyAlerted);
        String lastUsed = total == null ? null : SpendStatus.instant(total.lastUsedAt());
        if (cap == null) {
            return new Figures(SpendStatus.format(spend), null, null, resetAt, lastUsed, alerted, null);
        }
        int percent = SpendStatus.percent(spend, cap);
        boolean exceeded = SpendStatus.exceeded(spend, cap);
        Conditions.set(s, owner, clock, Conditions.BUDGET_EXCEEDED, exceeded, exceeded ? "BudgetExceeded" : "WithinBudget",
                "spent $" + SpendStatus.format(spend) + " of $" + cap.toPlainString() + " (" + period + ", resets " + resetAt + ")");
        for (Integer t : SpendStatus.newlyCrossed(thresholds, percent, alerted)) {
            alerted.add(t);
            event(owner, t >= 100 ? "Warning" : "Normal", "BudgetThresholdReached",
                    who + " reached " + t + "% of its $" + cap.toPlainString() + " " + period + " budget (spent $" + SpendStatus.format(spend) + ")");
        }
        alerted.sort(Integer::compareTo);
        return new Figures(SpendStatus.format(spend), SpendStatus.format(cap.subtract(spend).max(BigDecimal.ZERO)), percent, resetAt, lastUsed, alerted,
                SpendStatus.ratio(spend, cap));
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> withCondition(List<io.fabric8.kubernetes.api.model.Condition> list,
                                                                                 io.fabric8.kubernetes.api.model.Condition c) {
        List<io.fabric8.kubernetes.api.model.Condition> out = new ArrayList<>(list == null ? List.of() : list);
        if (c != null) {
            out.removeIf(x -> c.getType().equals(x.getType()));
            out.add(c);
        }
        return out;
    }

    private void event(HasMetadata owner, String type, String reason, String message) {
        String now = Instant.now(clock).toString();
        client.v1().events().inNamespace(owner.getMetadata().getNamespace()).resource(new EventBuilder()
                .withNewMetadata().withName(owner.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(owner.getMetadata().getNamespace()).endMetadata()
                .withType(type).withReason(reason).withMessage(message)
                .withNewInvolvedObject().withApiVersion(owner.getApiVersion()).withKind(owner.getKind()).withName(owner.getMetadata().getName())
                .withNamespace(owner.getMetadata().getNamespace()).withUid(owner.getMetadata().getUid()).endInvolvedObject()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("tollgate-operator").endSource()
                .build()).create();
    }

    private HikariDataSource pool(LLMGateway gw) {
        var db = gw.getSpec().database;
        Secret secret = client.secrets().inNamespace(gw.getMetadata().getNamespace()).withName(db.secretName).get();
        if (secret == null) {
            throw new IllegalStateException("database Secret " + db.secretName + " not found");
        }
        String url = value(secret, db.urlKey);
        String user = value(secret, db.usernameKey);
        String password = value(secret, db.passwordKey);
        String id = gw.getMetadata().getUid() + "|" + url + "|" + user + "|" + (password == null ? 0 : password.hashCode());
        return pools.computeIfAbsent(id, k -> {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(url);
            c.setUsername(user);
            c.setPassword(password);
            c.setMaximumPoolSize(2);
            c.setReadOnly(true);
            c.setPoolName("tollgate-spend-" + gw.getMetadata().getName());
            return new HikariDataSource(c);
        });
    }

    private static String value(Secret s, String key) {
        String v = s.getData() == null || key == null ? null : s.getData().get(key);
        return v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
