package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RouteConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.tollgate.api.config.RoutingStrategy.LEAST_IN_FLIGHT;
import static dev.tollgate.api.config.RoutingStrategy.LOWEST_COST;
import static dev.tollgate.api.config.RoutingStrategy.LOWEST_LATENCY;
import static dev.tollgate.api.config.RoutingStrategy.PRIORITY;
import static dev.tollgate.api.config.RoutingStrategy.WEIGHTED;
import static dev.tollgate.gateway.routing.Routes.backend;
import static dev.tollgate.gateway.routing.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each strategy orders backends as specified; weighted draws use a fixed seed. */
class BackendRankingTest {

    private static final int DRAWS = 20_000;

    private final BackendStats stats = new BackendStats();
    private final BackendRanking ranking = new BackendRanking(new Random(42), stats, BackendConfig::pricing);

    private Map<String, Double> firstChoiceShares(RouteConfig route, boolean stream) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            counts.merge(ranking.rank(route, stream).getFirst().name(), 1, Integer::sum);
        }
        Map<String, Double> shares = new HashMap<>();
        counts.forEach((k, v) -> shares.put(k, v / (double) DRAWS));
        return shares;
    }

    @Test
    void weightedPicksInProportionToWeight() {
        Map<String, Double> shares = firstChoiceShares(route(WEIGHTED, backend("a", 1), backend("b", 3), backend("c", 6)), false);
        assertThat(shares.get("a")).isCloseTo(0.1, within(0.015));
        assertThat(shares.get("b")).isCloseTo(0.3, within(0.015));
        assertThat(shares.get("c")).isCloseTo(0.6, within(0.015));
    }

    @Test
    void weightZeroIsOnlyALastResort() {
        Map<String, Double> shares = firstChoiceShares(route(WEIGHTED, backend("spare", 0), backend("main", 1)), false);
        assertThat(shares).containsOnlyKeys("main");
        assertThat(ranking.rank(route(WEIGHTED, backend("spare", 0), backend("main", 1)), false))
                .extracting(BackendConfig::name).containsExactly("main", "spare");
    }

    @Test
    void leastInFlightPicksTheIdlestBackend() {
        BackendConfig a = backend("a", 1);
        BackendConfig b = backend("b", 1);
        BackendConfig c = backend("c", 1);
        stats.of(a).started();
        stats.of(a).started();
        stats.of(c).started();
        assertThat(firstChoiceShares(route(LEAST_IN_FLIGHT, a, b, c), false)).containsOnlyKeys("b");
        assertThat(ranking.rank(route(LEAST_IN_FLIGHT, a, b, c), false)).extracting(BackendConfig::name).containsExactly("b", "c", "a");
    }

    @Test
    void leastInFlightSpreadsTiesByWeight() {
        Map<String, Double> shares = firstChoiceShares(route(LEAST_IN_FLIGHT, backend("a", 1), backend("b", 1)), false);
        assertThat(shares.get("a")).isCloseTo(0.5, within(0.02));
    }

    @Test
    void lowestLatencyUsesFirstTokenTimeForStreamsAndTotalTimeOtherwise() {
        BackendConfig a = backend("a", 1);
        BackendConfig b = backend("b", 1);
        stats.of(a).recordFirstToken(100_000_000);
        stats.of(a).recordTotal(900_000_000);
        stats.of(b).recordFirstToken(300_000_000);
        stats.of(b).recordTotal(400_000_000);
        assertThat(firstChoiceShares(route(LOWEST_LATENCY, a, b), true)).containsOnlyKeys("a");
        assertThat(firstChoiceShares(route(LOWEST_LATENCY, a, b), false)).containsOnlyKeys("b");
    }

    @Test
    void lowestLatencyTriesUnmeasuredBackendsFirst() {
        BackendConfig measured = backend("measured", 1);
        stats.of(measured).recordTotal(1_000);
        assertThat(ranking.rank(route(LOWEST_LATENCY, measured, backend("new", 1)), false).getFirst().name()).isEqualTo("new");
    }

    @Test
    void lowestLatencyFollowsTheMovingAverage() {
        BackendConfig a = backend("a", 1);
        BackendConfig b = backend("b", 1);
        stats.of(a).recordTotal(100);
        stats.of(b).recordTotal(200);
        for (int i = 0; i < 10; i++) {
            stats.of(a).recordTotal(1_000); // a got slow
        }
        assertThat(ranking.rank(route(LOWEST_LATENCY, a, b), false).getFirst().name()).isEqualTo("b");
    }

    @Test
    void lowestCostPicksTheCheapestBackend() {
        RouteConfig route = route(LOWEST_COST, backend("dear", 5, 0, "10"), backend("cheap", 1, 0, "0.5"), backend("mid", 5, 0, "2"));
        assertThat(firstChoiceShares(route, false)).containsOnlyKeys("cheap");
        assertThat(ranking.rank(route, false)).extracting(BackendConfig::name).containsExactly("cheap", "mid", "dear");
    }

    @Test
    void priorityUsesTheFirstGroupAndSpreadsWithinItByWeight() {
        RouteConfig route = route(PRIORITY, backend("p0-a", 1, 0, "1"), backend("p0-b", 3, 0, "1"), backend("p1", 100, 1, "1"));
        Map<String, Double> shares = firstChoiceShares(route, false);
        assertThat(shares).containsOnlyKeys("p0-a", "p0-b");
        assertThat(shares.get("p0-b")).isCloseTo(0.75, within(0.015));
        List<BackendConfig> order = ranking.rank(route, false);
        assertThat(order.getLast().name()).isEqualTo("p1");
    }
}
