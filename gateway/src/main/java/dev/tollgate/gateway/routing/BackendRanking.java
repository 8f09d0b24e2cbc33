package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.RoutingStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Orders a route's backends by its strategy, best first. Every strategy starts from a weighted random order (so the
 * first backend is drawn in proportion to weight, and ties of the other strategies are broken by weight), then sorts
 * stably by the strategy's key: nothing for weighted, in-flight count, latency average (unmeasured backends first, so
 * each gets measured), price per token, or priority (lower number first). The router walks the order and takes the
 * first backend that is neither open-circuited nor at its quota.
 */
public final class BackendRanking {

    private final RandomGenerator random;
    private final BackendStats stats;
    private final Function<BackendConfig, Pricing> prices;

    /**
     * @param random source of the weighted draw; inject a seeded one in tests
     * @param stats  in-flight counts and latency averages
     * @param prices a backend's price (its own, or the built-in table)
     */
    public BackendRanking(RandomGenerator random, BackendStats stats, Function<BackendConfig, Pricing> prices) {
        this.random = random;
        this.stats = stats;
        this.prices = prices;
    }

    /** Java's per-thread random source, for production. */
    public static RandomGenerator threadLocalRandom() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return ThreadLocalRandom.current().nextLong();
            }

            @Override
            public double nextDouble() {
                return ThreadLocalRandom.current().nextDouble();
            }
        };
    }

    public List<BackendConfig> rank(RouteConfig route, boolean stream) {
        List<BackendConfig> backends = route.backends();
        int n = backends.size();
        if (n == 1) {
            return backends;
        }
        Ranked[] ranked = new Ranked[n];
        for (int i = 0; i < n; i++) {
            BackendConfig b = backends.get(i);
            ranked[i] = new Ranked(b, weightedKey(b.weight()), key(route.strategy(), b, stream));
        }
        Arrays.sort(ranked, Comparator.comparingDouble(Ranked::strategyKey).thenComparing(Comparator.comparingDouble(Ranked::weightedKey).reversed()));
        List<BackendConfig> out = new ArrayList<>(n);
        for (Ranked r : ranked) {
            out.add(r.backend);
        }
        return out;
    }

    /**
     * Efraimidis–Spirakis key {@code ln(u) / weight}: sorting by it, highest first, draws a weighted random order in
     * which the first backend is picked with probability {@code weight / Σ weight}. Weight 0 sorts after every
     * positive weight (used only when the others are unavailable).
     */
    private double weightedKey(int weight) {
        double u = 1.0 - random.nextDouble(); // (0, 1]
        return weight > 0 ? Math.log(u) / weight : -1e12 + u;
    }

    private double key(RoutingStrategy strategy, BackendConfig b, boolean stream) {
        return switch (strategy) {
            case WEIGHTED -> 0;
            case LEAST_IN_FLIGHT -> stats.of(b).inFlight();
            case LOWEST_LATENCY -> {
                double latency = stats.of(b).latencyNanos(stream);
                yield Double.isNaN(latency) ? -1 : latency;
            }
            case LOWEST_COST -> {
                Pricing p = prices.apply(b);
                yield p.inputPerMillion().add(p.outputPerMillion()).doubleValue();
            }
            case PRIORITY -> b.priority();
        };
    }

    private record Ranked(BackendConfig backend, double weightedKey, double strategyKey) {
    }
}
