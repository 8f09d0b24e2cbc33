package dev.tollgate.gateway.http;

import dev.tollgate.gateway.error.GatewayException;
import io.javalin.http.Context;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of an admin or self-service GET, read strictly: an unknown parameter, a repeated single-valued
 * one or a bad value is a 400 in OpenAI's error shape whose {@code param} names the parameter.
 */
final class QueryParams {

    private final Map<String, List<String>> params;

    private QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /** The parameters of the request; any name outside {@code allowed} is refused. */
    static QueryParams of(Context ctx, Set<String> allowed) {
        Map<String, List<String>> params = ctx.queryParamMap();
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw GatewayException.invalidRequest(name, "Unknown parameter '" + name + "'. Allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ".");
            }
        }
        return new QueryParams(params);
    }

    /** The value of a single-valued parameter, or null when absent. */
    String single(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw GatewayException.invalidRequest(name, "Invalid '" + name + "': given " + values.size() + " times, expected once.");
        }
        return values.getFirst();
    }

    /** Every value of a repeated parameter ({@code tag=a&tag=b}), as given (commas included); empty when absent. */
    List<String> values(String name) {
        List<String> values = params.get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Every value of a parameter, repeated ({@code a=x&a=y}) or comma-separated ({@code a=x,y}); empty when absent. */
    List<String> list(String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                all.add(value);
                continue;
            }
            for (String part : value.split(",", -1)) {
                all.add(part.strip());
            }
        }
        return all;
    }

    /** An integer from {@code min} to {@code max}, or {@code fallback} when absent. */
    int integer(String name, int fallback, int min, int max) {
        String value = single(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw GatewayException.invalidRequest(name, "Invalid '" + name + "': expected an integer from " + min + " to " + max
                + " (was '" + value + "').");
    }

    /** A UTC day, given as {@code 2026-11-01} or as the instant of its start ({@code 2026-11-01T00:00:00Z}). */
    LocalDate day(String name, LocalDate fallback) {
        String value = single(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Instant instant = parse(name, value, "a date such as 2026-11-01");
        LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        if (!day.atStartOfDay().toInstant(ZoneOffset.UTC).equals(instant)) {
            throw GatewayException.invalidRequest(name, "Invalid '" + name + "': spend is reported per UTC day; expected a date"
                    + " such as 2026-11-01 or a UTC midnight (was '" + value + "').");
        }
        return day;
    }

    /** An instant, given as an ISO instant or as a date (its UTC midnight); null when absent. */
    Instant instant(String name) {
        String value = single(name);
        return value == null || value.isBlank() ? null : parse(name, value, "a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)");
    }

    private static Instant parse(String name, String value, String expected) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atTime(LocalTime.MIDNIGHT).toInstant(ZoneOffset.UTC)
                    : Instant.parse(value);
        } catch (DateTimeException e) {
            throw GatewayException.invalidRequest(name, "Invalid '" + name + "': expected " + expected + " (was '" + value + "').");
        }
    }
}
