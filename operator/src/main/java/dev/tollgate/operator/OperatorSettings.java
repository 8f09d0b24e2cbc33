package dev.tollgate.operator;

import dev.tollgate.api.config.Durations;
import dev.tollgate.api.crd.LLMGatewaySpec;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
 * @param gatewayImage    image of gateway pods whose LLMGateway names none
 * @param resyncInterval  longest time a resource goes without a reconcile when no event comes: a safety net for an
 *                        edit whose watch event JOSDK 5.3 dropped because it landed during the operator's own status
 *                        write (java-operator-sdk #3398); status is patched only on change, so a resync writes nothing
 */
public record OperatorSettings(Set<String> namespaces, Duration spendInterval, String leaderElection, int httpPort,
                               String gatewayImage, Duration resyncInterval) {

    public static final String WATCH_NAMESPACES = "TOLLGATE_WATCH_NAMESPACES";
    public static final String SPEND_INTERVAL = "TOLLGATE_SPEND_INTERVAL";
    public static final String LEADER_ELECTION_NAMESPACE = "TOLLGATE_LEADER_ELECTION_NAMESPACE";
    public static final String HTTP_PORT = "TOLLGATE_HTTP_PORT";
    public static final String GATEWAY_IMAGE = "TOLLGATE_GATEWAY_IMAGE";
    public static final String RESYNC_INTERVAL = "TOLLGATE_RESYNC_INTERVAL";
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofMinutes(5);

    /** Each setting's command-line flag, the same setting as its environment variable (a flag wins). */
    static final Map<String, String> FLAGS = Map.of(
            "--watch-namespaces", WATCH_NAMESPACES,
            "--spend-interval", SPEND_INTERVAL,
            "--leader-election-namespace", LEADER_ELECTION_NAMESPACE,
            "--http-port", HTTP_PORT,
            "--gateway-image", GATEWAY_IMAGE,
            "--resync-interval", RESYNC_INTERVAL);

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
    }

    /** With the default resync interval. */
    public OperatorSettings(Set<String> namespaces, Duration spendInterval, String leaderElection, int httpPort,
                            String gatewayImage) {
        this(namespaces, spendInterval, leaderElection, httpPort, gatewayImage, DEFAULT_RESYNC_INTERVAL);
    }

    /** Without a gateway image: the one this build produces. */
    public OperatorSettings(Set<String> namespaces, Duration spendInterval, String leaderElection, int httpPort) {
        this(namespaces, spendInterval, leaderElection, httpPort, LLMGatewaySpec.DEFAULT_IMAGE);
    }

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
        String image = value(env, GATEWAY_IMAGE, LLMGatewaySpec.DEFAULT_IMAGE).trim();
        if (image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(GATEWAY_IMAGE + ": '" + image + "' is not an image reference");
        }
        String resyncText = value(env, RESYNC_INTERVAL, "5m");
        Duration resync = Durations.parse(resyncText);
        if (resync == null || resync.isNegative() || resync.isZero()) {
            throw new IllegalArgumentException(RESYNC_INTERVAL + ": '" + resyncText + "' is not a positive duration such as 5m or 30s");
        }
        return new OperatorSettings(namespaces, interval, lease == null ? null : lease.trim(), port, image, resync);
    }

    /**
     * Reads the command line over the environment: {@code --watch-namespaces a,b}, {@code --spend-interval 30s},
     * {@code --leader-election-namespace ns}, {@code --http-port 8080}, {@code --gateway-image ref},
     * {@code --resync-interval 5m} (also as {@code --flag=value}); a flag wins over its variable.
     *
     * @throws IllegalArgumentException naming the flag when it is unknown or lacks its value, or naming the setting
     *                                  when a value is not valid
     */
    public static OperatorSettings from(String[] args, Function<String, String> env) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String flag = eq > 0 ? arg.substring(0, eq) : arg;
            String variable = FLAGS.get(flag);
            if (variable == null) {
                throw new IllegalArgumentException("unknown option '" + flag + "'; options: " + String.join(", ", FLAGS.keySet().stream().sorted().toList()));
            }
            if (eq < 0 && i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            given.put(variable, eq > 0 ? arg.substring(eq + 1) : args[++i]);
        }
        return fromEnv(name -> given.containsKey(name) ? given.get(name) : env.apply(name));
    }

    private static String value(Function<String, String> env, String name, String fallback) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(Set.of(), Duration.ofSeconds(15), null, 8080);
    }

    /** These settings with another spend-poll interval (a test hook: tests poll the ledger faster). */
    public OperatorSettings withSpendInterval(Duration interval) {
        return new OperatorSettings(namespaces, interval, leaderElection, httpPort, gatewayImage, resyncInterval);
    }
}
