package dev.tollgate.operator;

import java.time.Duration;
import java.util.List;
import java.util.Set;

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

    public static OperatorSettings defaults() {
        return new OperatorSettings(Set.of(), Duration.ofSeconds(15), null, 8080);
    }

    public OperatorSettings withSpendInterval(Duration interval) {
        return new OperatorSettings(namespaces, interval, leaderElection, httpPort);
    }
}
