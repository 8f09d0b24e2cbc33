package dev.tollgate.operator;

import dev.tollgate.api.config.Durations;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the operator runs.
 *
 * @param namespaces      namespaces to watch; empty means all
 * @param spendInterval   how often spend is read from the ledger into status
 * @param leaderElection  lease namespace for leader election, or null to run without it
 * @param httpPort        port of the operator's own health and metrics endpoints, 0 for a free port, -1 for none
 */
public record OperatorSettings(Set<String> namespaces, Duration spendInterval, String leaderElection, int httpPort) {

    public static final List<Integer> DEFAULT_ALERT_THRESHOLDS = List.of(50, 80, 100);

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
    }

    public static final String WATCH_NAMESPACES = "TOLLGATE_WATCH_NAMESPACES";
    public static final String SPEND_INTERVAL = "TOLLGATE_SPEND_INTERVAL";
    public static final String LEADER_ELECTION_NAMESPACE = "TOLLGATE_LEADER_ELECTION_NAMESPACE";
    public static final String HTTP_PORT = "TOLLGATE_HTTP_PORT";

    /**
     * Reads the settings from environment variables (see docs/operator.md); a blank variable means its default.
     *
     * @throws IllegalArgumentException naming the variable when a value is not valid
     */
    public static OperatorSettings fromEnv(Function<String, String> env) {
        Set<String> namespaces = Arrays.stream(value(env, WATCH_NAMESPACES, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        String intervalText = value(env, SPEND_INTERVAL, "15s");
        Duration interval = Durations.parse(intervalText);
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException(SPEND_INTERVAL + ": '" + intervalText + "' is not a duration such as 15s, 1m or 0s (off)");
        }
        String lease = value(env, LEADER_ELECTION_NAMESPACE, null);
        String portText = value(env, HTTP_PORT, "8080");
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            port = -2;
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(HTTP_PORT + ": '" + portText + "' is not a port (0-65535, or -1 for none)");
        }
        return new OperatorSettings(namespaces, interval, lease == null ? null : lease.trim(), port);
    }

    private static String value(Function<String, String> env, String name, String fallback) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(Set.of(), Duration.ofSeconds(15), null, 8080);
    }

    public OperatorSettings withSpendInterval(Duration interval) {
        return new OperatorSettings(namespaces, interval, leaderElection, httpPort);
    }
}
