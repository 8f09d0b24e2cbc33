package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.ledger.LedgerException;
import dev.tollgate.gateway.ledger.SpendQueries.GroupBy;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.ledger.SpendTotal;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Admin endpoints, guarded by the admin key: {@code GET /admin/spend?groupBy=key|team|model&from=&to=}. */
public final class AdminHandlers {

    private final ConfigHolder config;
    private final SpendQueries spend;
    private final Clock clock;

    public AdminHandlers(ConfigHolder config, SpendQueries spend, Clock clock) {
        this.config = config;
        this.spend = spend;
        this.clock = clock;
    }

    public void spend(Context ctx) {
        requireAdmin(ctx);
        GroupBy groupBy = groupBy(ctx.queryParam("groupBy"));
        Instant now = clock.instant();
        Instant from = instant("from", ctx.queryParam("from"), LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        Instant to = instant("to", ctx.queryParam("to"), now.plusSeconds(1));
        if (!from.isBefore(to)) {
            throw GatewayException.invalidRequest("from", "'from' must be before 'to'.");
        }
        List<SpendTotal> totals;
        try {
            totals = spend.totals(groupBy, from, to);
        } catch (LedgerException e) {
            // refused at once while the database is down (the ledger pool fails fast), so this does not hang either
            throw new GatewayException(503, "api_error", "ledger_unavailable", null,
                    "The ledger database is unavailable; spend cannot be reported now. Try again later.");
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "spend_report");
        root.put("groupBy", groupBy.name().toLowerCase());
        root.put("from", from.toString());
        root.put("to", to.toString());
        ArrayNode data = root.putArray("data");
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (SpendTotal t : totals) {
            ObjectNode row = data.addObject();
            row.put("group", t.group());
            row.put("requests", t.requests());
            row.put("prompt_tokens", t.promptTokens());
            row.put("completion_tokens", t.completionTokens());
            row.put("cost_usd", t.costUsd().stripTrailingZeros().toPlainString());
            sum = sum.add(t.costUsd());
        }
        root.put("total_cost_usd", sum.stripTrailingZeros().toPlainString());
        ctx.contentType("application/json").result(Json.bytes(root));
    }

    /** Refuses the request unless it carries the admin key: 401 without a key or with a wrong one, 403 with a virtual key. */
    public void requireAdmin(Context ctx) {
        RuntimeConfig cfg = config.current();
        String presented = Authenticator.presentedKey(ctx.header("Authorization"), ctx.header("api-key"));
        if (presented == null) {
            throw GatewayException.invalidApiKey("Admin endpoints need the admin key as 'Authorization: Bearer <key>'.");
        }
        String adminHash = cfg.source().gateway().adminKeyHash();
        String hash = KeyHashes.hash(presented);
        if (adminHash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), adminHash.getBytes(StandardCharsets.US_ASCII))) {
            return;
        }
        if (cfg.keyByHash(hash) != null) {
            throw new GatewayException(403, "permission_denied", "admin_key_required", null, "A virtual key cannot use admin endpoints.");
        }
        throw GatewayException.invalidApiKey(adminHash == null ? "Admin endpoints are disabled: no admin key is configured." : "Incorrect admin key provided.");
    }

    private static GroupBy groupBy(String value) {
        if (value == null) {
            return GroupBy.KEY;
        }
        for (GroupBy g : GroupBy.values()) {
            if (g.name().equalsIgnoreCase(value)) {
                return g;
            }
        }
        throw GatewayException.invalidRequest("groupBy", "Invalid 'groupBy': expected key, team or model (was '" + value + "').");
    }

    private static Instant instant(String param, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw GatewayException.invalidRequest(param, "Invalid '" + param + "': expected a date (2026-11-01) or an instant (2026-11-01T00:00:00Z).");
        }
    }
}
