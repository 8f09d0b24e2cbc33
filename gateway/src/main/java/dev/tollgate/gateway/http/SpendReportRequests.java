package dev.tollgate.gateway.http;

import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.ledger.RecentRequests;
import dev.tollgate.gateway.ledger.SpendReport;
import dev.tollgate.gateway.ledger.SpendReport.Dimension;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of {@code GET /admin/spend} and {@code GET /admin/requests}, checked and turned into queries.
 * See {@code docs/api.md} ("Admin API").
 */
final class SpendReportRequests {

    /** Most rows of one spend report. */
    static final int MAX_REPORT_ROWS = 10_000;
    /** Rows of a spend report unless {@code limit} says otherwise. */
    static final int DEFAULT_REPORT_ROWS = 1_000;
    /** Most rows of one page of recent requests. */
    static final int MAX_REQUEST_ROWS = 1_000;
    /** Rows of a page of recent requests unless {@code limit} says otherwise. */
    static final int DEFAULT_REQUEST_ROWS = 100;

    private static final List<String> FILTERS = List.of("key", "team", "model", "user", "tag");
    private static final Set<String> SPEND_PARAMS = Set.of("group_by", "groupBy", "key", "team", "model", "user", "tag",
            "from", "to", "limit", "format");
    private static final Set<String> REQUEST_PARAMS = Set.of("key", "team", "model", "user", "tag", "from", "to", "limit");

    /** A parsed spend report request: the query and whether CSV was asked for. */
    record Spend(SpendReport.Query query, boolean csv) {
    }

    private SpendReportRequests() {
    }

    static Spend spend(Context ctx, Clock clock) {
        QueryParams params = QueryParams.of(ctx, SPEND_PARAMS);
        List<Dimension> groupBy = groupBy(params);
        Map<Dimension, List<String>> filters = new EnumMap<>(Dimension.class);
        for (String name : FILTERS) {
            List<String> values = params.values(name); // not split at commas: a tag may hold one
            if (!values.isEmpty()) {
                filters.put(dimension(name, name), values);
            }
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = params.day("from", today.withDayOfMonth(1));
        LocalDate to = params.day("to", today.plusDays(1));
        if (!from.isBefore(to)) {
            throw GatewayException.invalidRequest("from", "Invalid 'from': it must be before 'to' ('to' is exclusive).");
        }
        int limit = params.integer("limit", DEFAULT_REPORT_ROWS, 1, MAX_REPORT_ROWS);
        boolean byTag = groupBy.contains(Dimension.TAG) || filters.containsKey(Dimension.TAG);
        boolean byUser = groupBy.contains(Dimension.USER) || filters.containsKey(Dimension.USER);
        if (byTag && byUser) {
            String param = filters.containsKey(Dimension.USER) ? "user" : filters.containsKey(Dimension.TAG) ? "tag" : "group_by";
            throw GatewayException.invalidRequest(param, "Invalid '" + param + "': a report cannot involve both tag and user"
                    + " (spend is kept per tag and per user, not per pair); ask for one of them.");
        }
        return new Spend(new SpendReport.Query(groupBy, filters, from, to, limit), csv(ctx, params.single("format")));
    }

    static RecentRequests.Query requests(Context ctx) {
        QueryParams params = QueryParams.of(ctx, REQUEST_PARAMS);
        Map<RecentRequests.Filter, String> filters = new EnumMap<>(RecentRequests.Filter.class);
        for (String name : FILTERS) {
            String value = params.single(name);
            if (value != null) {
                filters.put(RecentRequests.Filter.valueOf(name.toUpperCase(Locale.ROOT)), value);
            }
        }
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw GatewayException.invalidRequest("from", "Invalid 'from': it must be before 'to' ('to' is exclusive).");
        }
        return new RecentRequests.Query(filters, from, to, params.integer("limit", DEFAULT_REQUEST_ROWS, 1, MAX_REQUEST_ROWS));
    }

    /** {@code group_by} (or the older {@code groupBy}), repeated or comma-separated; default {@code key}. */
    private static List<Dimension> groupBy(QueryParams params) {
        String param = params.list("groupBy").isEmpty() ? "group_by" : "groupBy";
        if (param.equals("groupBy") && !params.list("group_by").isEmpty()) {
            throw GatewayException.invalidRequest("groupBy", "Give 'group_by' or its older name 'groupBy', not both.");
        }
        List<String> names = params.list(param);
        if (names.isEmpty()) {
            return List.of(Dimension.KEY);
        }
        List<Dimension> dimensions = new ArrayList<>();
        for (String name : names) {
            Dimension d = dimension(param, name);
            if (dimensions.contains(d)) {
                throw GatewayException.invalidRequest(param, "Invalid '" + param + "': '" + name + "' is given twice.");
            }
            dimensions.add(d);
        }
        return dimensions;
    }

    private static Dimension dimension(String param, String name) {
        for (Dimension d : Dimension.values()) {
            if (d.label().equals(name)) {
                return d;
            }
        }
        throw GatewayException.invalidRequest(param, "Invalid '" + param + "': expected key, team, model, user, tag or day (was '"
                + name + "').");
    }

    /** CSV when {@code format=csv}, or without {@code format} when the client accepts {@code text/csv}. */
    private static boolean csv(Context ctx, String format) {
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw GatewayException.invalidRequest("format", "Invalid 'format': expected json or csv (was '" + format + "').");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/csv");
    }
}
