package dev.tollgate.api.config;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a route picks among its backends. Written in YAML in kebab case, e.g. {@code least-in-flight}. */
public enum RoutingStrategy {
    /** At random, in proportion to each backend's weight (the default). */
    WEIGHTED,
    /** The backend with the fewest requests in flight from this gateway. */
    LEAST_IN_FLIGHT,
    /** The backend with the lowest moving average of time to first token (streams) or total time (otherwise). */
    LOWEST_LATENCY,
    /** The backend with the lowest price per token. */
    LOWEST_COST,
    /** The healthy group with the lowest {@code priority} number; by weight within the group. */
    PRIORITY;

    /** The name used in configuration (and written by {@link ConfigWriter}), e.g. {@code least-in-flight}. */
    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Returns the strategy named {@code text} (kebab or snake case, any letter case), or null. */
    public static RoutingStrategy fromConfigName(String text) {
        for (RoutingStrategy s : values()) {
            if (s.configName().equalsIgnoreCase(text.trim().replace('_', '-'))) {
                return s;
            }
        }
        return null;
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(RoutingStrategy::configName).toList();
    }
}
