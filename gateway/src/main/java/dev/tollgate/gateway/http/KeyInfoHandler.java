package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.Limits;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.budgets.BudgetStatus;
import dev.tollgate.gateway.budgets.BudgetStatuses;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.request.JsonBody;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * {@code GET /v1/key/info}: a virtual key reads, with its own key, its name, team, allowed models, expiry, rate limits,
 * spend this month and its budget (and its team's) in the current period. It sees nothing of other keys (a team budget
 * shows the team's total only) and nothing secret: no key, hash or hint.
 */
public final class KeyInfoHandler {

    private final ConfigHolder config;
    private final Authenticator authenticator;
    private final BudgetStatuses budgets;
    private final SpendQueries spend;
    private final Clock clock;

    public KeyInfoHandler(ConfigHolder config, Authenticator authenticator, BudgetStatuses budgets, SpendQueries spend, Clock clock) {
        this.config = config;
        this.authenticator = authenticator;
        this.budgets = budgets;
        this.spend = spend;
        this.clock = clock;
    }

    public void info(Context ctx) {
        RuntimeConfig cfg = config.current();
        KeyPolicy key = authenticator.authenticate(cfg, ctx.header("Authorization"), ctx.header("api-key"));
        QueryParams.of(ctx, Set.of());
        KeyConfig k = key.config();
        Instant monthStart = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        BigDecimal month = AdminHandlers.fromLedger(() -> spend.costOfKeySince(k.name(), monthStart));
        BudgetStatus keyBudget = AdminHandlers.fromLedger(() -> budgets.ofKey(k));
        BudgetStatus teamBudget = AdminHandlers.fromLedger(() -> budgets.ofTeam(cfg.team(k.team())));

        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "key_info");
        root.put("name", k.name());
        root.put("team", k.team());
        ArrayNode models = root.putArray("models");
        if (key.allModels()) {
            models.add("*");
        } else {
            cfg.routes().stream().filter(r -> key.models().contains(r.model())).forEach(r -> models.add(r.model()));
        }
        root.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        limits(root.putObject("limits"), k.limits());
        if (cfg.team(k.team()) == null) {
            root.putNull("team_limits");
        } else {
            limits(root.putObject("team_limits"), cfg.team(k.team()).limits());
        }
        ObjectNode spent = root.putObject("spend");
        spent.put("month_start", monthStart.toString());
        spent.put("month_usd", AdminJson.usd(month));
        budget(root, "budget", keyBudget);
        budget(root, "team_budget", teamBudget);
        JsonBody.send(ctx, root);
    }

    private static void limits(ObjectNode node, Limits limits) {
        Limits l = limits == null ? Limits.NONE : limits;
        node.put("rpm", l.rpm());
        node.put("tpm", l.tpm());
        node.put("parallel", l.parallel());
    }

    private static void budget(ObjectNode root, String field, BudgetStatus status) {
        if (status == null) {
            root.putNull(field);
        } else {
            AdminJson.budget(root.putObject(field), status);
        }
    }
}
