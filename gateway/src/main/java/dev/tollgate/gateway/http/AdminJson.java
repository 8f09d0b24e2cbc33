package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.budgets.BudgetStatus;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.RecentRequests;
import dev.tollgate.gateway.ledger.SpendReport;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON answers of the admin and self-service reads, flat and stable for scripts and the dashboard: snake_case
 * names, amounts in USD as decimal strings (exact), instants as ISO strings. Shapes are in {@code docs/api.md}.
 */
final class AdminJson {

    private AdminJson() {
    }

    /** An exact USD amount without trailing zeros, as a string (a JSON number would be read as a double). */
    static String usd(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    static ObjectNode spend(SpendReport.Query query, SpendReport.Result result) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "spend_report");
        ArrayNode groupBy = root.putArray("group_by");
        query.groupBy().forEach(d -> groupBy.add(d.label()));
        root.put("from", query.from().toString());
        root.put("to", query.to().toString());
        ObjectNode filters = root.putObject("filters");
        for (Map.Entry<SpendReport.Dimension, List<String>> filter : query.filters().entrySet()) {
            ArrayNode values = filters.putArray(filter.getKey().label());
            filter.getValue().forEach(values::add);
        }
        ArrayNode data = root.putArray("data");
        for (SpendReport.Row row : result.rows()) {
            ObjectNode r = data.addObject();
            for (int i = 0; i < query.groupBy().size(); i++) {
                r.put(query.groupBy().get(i).label(), row.group().get(i));
            }
            sums(r, row);
        }
        root.put("has_more", result.hasMore());
        sums(root.putObject("total"), result.total());
        root.put("total_cost_usd", usd(result.total().costUsd()));
        return root;
    }

    private static void sums(ObjectNode node, SpendReport.Row row) {
        node.put("requests", row.requests());
        node.put("prompt_tokens", row.promptTokens());
        node.put("completion_tokens", row.completionTokens());
        node.put("cost_usd", usd(row.costUsd()));
    }

    static ObjectNode requests(RecentRequests.Page page) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (LedgerEntry e : page.rows()) {
            ObjectNode r = data.addObject();
            r.put("request_id", e.requestId());
            r.put("parent_request_id", e.parentRequestId());
            r.put("started_at", instant(e.timing().startedAt()));
            r.put("first_token_at", instant(e.timing().firstTokenAt()));
            r.put("ended_at", instant(e.timing().endedAt()));
            Instant ended = e.timing().endedAt();
            if (ended == null) {
                r.putNull("duration_ms");
            } else {
                r.put("duration_ms", Duration.between(e.startedAt(), ended).toMillis());
            }
            r.put("key", e.who().keyName());
            r.put("team", e.who().team());
            r.put("user", e.attribution().user());
            ArrayNode tags = r.putArray("tags");
            e.attribution().tags().forEach(tags::add);
            r.put("endpoint", e.what().endpoint());
            r.put("model", e.what().requestedModel());
            r.put("backend", e.what().backend());
            r.put("provider", e.what().provider());
            r.put("upstream_model", e.what().upstreamModel());
            r.put("streamed", e.what().streamed());
            r.put("prompt_tokens", e.tokens().promptTokens());
            r.put("completion_tokens", e.tokens().completionTokens());
            r.put("cached_tokens", e.tokens().cachedTokens());
            r.put("reasoning_tokens", e.tokens().reasoningTokens());
            r.put("estimated", e.tokens().estimated());
            r.put("cost_usd", usd(e.costUsd()));
            r.put("status", e.outcome().status());
            r.put("error", e.outcome().errorType());
        }
        root.put("has_more", page.hasMore());
        return root;
    }

    static ObjectNode budgets(List<BudgetStatus> statuses) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        statuses.forEach(s -> budget(data.addObject(), s));
        return root;
    }

    /** One budget: scope and name, limit, used, remaining, used share, period and when it resets. */
    static ObjectNode budget(ObjectNode node, BudgetStatus s) {
        node.put("scope", s.scope());
        node.put("name", s.name());
        node.put("limit_usd", usd(s.limitUsd()));
        node.put("used_usd", usd(s.usedUsd()));
        node.put("remaining_usd", usd(s.remainingUsd()));
        node.put("used_share", Math.round(s.usedShare() * 10_000) / 10_000.0);
        node.put("period", s.period());
        node.put("time_zone", s.timeZone());
        node.put("period_start", s.periodStart().toString());
        node.put("reset_at", s.resetAt().toString());
        return node;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
