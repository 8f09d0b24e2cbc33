package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing and resilience settings of a route: read, defaulted and validated with field paths. */
class RouteResilienceConfigTest {

    private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get, Set.of("openai", "mock"), Map.of(), null);

    private static String routes(String firstRouteExtra) {
        return """
                routes:
                  - model: main
                    backends:
                      - { name: a, provider: mock, model: m }
                %s
                  - model: backup
                    backends:
                      - { name: b, provider: mock, model: m }
                  - model: big
                    backends:
                      - { name: c, provider: mock, model: m }
                """.formatted(firstRouteExtra.indent(4).stripTrailing());
    }

    private static RouteConfig main(String extra) {
        return LOADER.parse(routes(extra)).routes().getFirst();
    }

    private static void assertRejected(String extra, String... messages) {
        assertThatThrownBy(() -> LOADER.parse(routes(extra)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).contains(messages));
    }

    @Test
    void everySettingIsRead() {
        RouteConfig r = main("""
                strategy: least-in-flight
                retries: 3
                backoff: { initial: 100ms, max: 2s, multiplier: 3, jitter: 0.25 }
                timeouts: { connect: 2s, request: 60s, firstToken: 5s, idle: 10s }
                circuitBreaker: { failureThreshold: 4, cooldown: 20s, halfOpenProbes: 2 }
                fallbacks: [backup]
                contextWindowFallbacks: [big]
                contentPolicyFallbacks: [backup]
                firstTokenFallbackAfter: 1500ms
                """);
        assertThat(r.strategy()).isEqualTo(RoutingStrategy.LEAST_IN_FLIGHT);
        assertThat(r.retries()).isEqualTo(3);
        assertThat(r.backoff()).isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 3.0, 0.25));
        assertThat(r.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10)));
        assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.circuitBreaker()).isEqualTo(new CircuitBreakerSettings(4, Duration.ofSeconds(20), 2));
        assertThat(r.fallbacks()).containsExactly("backup");
        assertThat(r.contextWindowFallbacks()).containsExactly("big");
        assertThat(r.contentPolicyFallbacks()).containsExactly("backup");
        assertThat(r.firstTokenFallbackAfter()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void resilienceSettingsSurviveTheConfigWriter() {
        GatewayConfig config = LOADER.parse(routes("""
                strategy: lowest-cost
                retries: 2
                backoff: { initial: 150ms, max: 3s, multiplier: 1.5, jitter: 0.2 }
                timeouts: { connect: 3s, request: 90s, firstToken: 4s, idle: 8s }
                circuitBreaker: { failureThreshold: 0, cooldown: 1m, halfOpenProbes: 3 }
                fallbacks: [backup]
                contextWindowFallbacks: [big]
                firstTokenFallbackAfter: 2s
                """));
        String yaml = ConfigWriter.write(ConfigWriter.tree(config));
        assertThat(yaml).contains("strategy: \"lowest-cost\"");
        assertThat(LOADER.parse(yaml).routes()).isEqualTo(config.routes());
    }

    @Test
    void absentSettingsTakeDefaults() {
        RouteConfig r = main("");
        assertThat(r.strategy()).isEqualTo(RoutingStrategy.WEIGHTED);
        assertThat(r.retries()).isZero();
        assertThat(r.backoff()).isEqualTo(Backoff.DEFAULT);
        assertThat(r.timeouts()).isEqualTo(Timeouts.DEFAULT);
        assertThat(r.circuitBreaker()).isEqualTo(CircuitBreakerSettings.DEFAULT);
        assertThat(r.firstTokenFallbackAfter()).isNull();
    }

    @Test
    void everyStrategyNameIsAccepted() {
        for (RoutingStrategy s : RoutingStrategy.values()) {
            assertThat(main("strategy: " + s.configName()).strategy()).isEqualTo(s);
        }
    }

    @Test
    void singleTimeoutStillMeansTheRequestTimeout() {
        assertThat(main("timeout: 30s").timeouts()).isEqualTo(new Timeouts(Timeouts.DEFAULT.connect(), Duration.ofSeconds(30), null, null));
    }

    @Test
    void unknownStrategyIsRefusedWithTheChoices() {
        assertRejected("strategy: fastest",
                "routes[0].strategy: must be one of [weighted, least-in-flight, lowest-latency, lowest-cost, priority] (was 'fastest')");
    }

    @Test
    void badBackoffIsRefusedFieldByField() {
        assertRejected("backoff: { initial: 0s, multiplier: 0.5, jitter: 1, speed: 2 }",
                "routes[0].backoff.initial: must be longer than zero",
                "routes[0].backoff.multiplier: must be between 1 and 10 (was 0.5)",
                "routes[0].backoff.jitter: must be at least 0 and below 1 (was 1)",
                "routes[0].backoff.speed: unknown field (allowed: initial, jitter, max, multiplier)");
        assertRejected("backoff: { initial: 2s, max: 1s }", "routes[0].backoff.max: must not be shorter than initial (PT2S)");
    }

    @Test
    void badTimeoutsAreRefusedFieldByField() {
        assertRejected("timeouts: { connect: soon, request: 10s, firstToken: 20s, idle: 0ms }",
                "routes[0].timeouts.connect: must be a duration such as 500ms, 30s, 5m or 12h (was 'soon')",
                "routes[0].timeouts.firstToken: must not be longer than request (PT10S)",
                "routes[0].timeouts.idle: must be longer than zero");
        assertRejected("""
                timeout: 10s
                timeouts: { request: 20s }
                """, "routes[0].timeout: give either timeout or timeouts.request, not both");
    }

    @Test
    void badCircuitBreakerIsRefusedFieldByField() {
        assertRejected("circuitBreaker: { failureThreshold: -1, cooldown: 0s, halfOpenProbes: 0 }",
                "routes[0].circuitBreaker.failureThreshold: must be between 0 and 1000 (was -1)",
                "routes[0].circuitBreaker.cooldown: must be longer than zero",
                "routes[0].circuitBreaker.halfOpenProbes: must be between 1 and 100 (was 0)");
    }

    @Test
    void zeroFailureThresholdTurnsTheBreakerOff() {
        assertThat(main("circuitBreaker: { failureThreshold: 0 }").circuitBreaker().enabled()).isFalse();
    }

    @Test
    void retriesAreBounded() {
        assertRejected("retries: 11", "routes[0].retries: must be between 0 and 10 (was 11)");
    }

    @Test
    void fallbackListsMustNameOtherRoutes() {
        assertRejected("""
                fallbacks: [nowhere]
                contextWindowFallbacks: [main]
                contentPolicyFallbacks: [backup, missing]
                """,
                "routes[0].fallbacks[0]: no route named 'nowhere'",
                "routes[0].contextWindowFallbacks[0]: 'main' is this route itself",
                "routes[0].contentPolicyFallbacks[1]: no route named 'missing'");
    }

    @Test
    void firstTokenFallbackNeedsFallbacks() {
        assertRejected("firstTokenFallbackAfter: 2s", "routes[0].firstTokenFallbackAfter: needs at least one route in fallbacks");
    }
}
