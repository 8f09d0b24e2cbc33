package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration of limits and budgets: Redis, backend quotas, budget zones and alert thresholds. */
class LimitsConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("REDIS_PASSWORD", "s3cret-pw")::get, Set.of(), Map.of(), null);

    private static final String ROUTES = """
            routes:
              - model: m
                backends:
                  - { name: b, provider: mock, model: m, rpm: 100, tpm: 50000 }
            """;

    @Test
    void readsRedisBackendQuotasAndBudgetDetails() {
        GatewayConfig config = loader.parse("""
                gateway:
                  defaultMaxTokens: 2048
                  redis: { url: "redis://:${REDIS_PASSWORD}@redis.tollgate:6380/2", keyPrefix: "prod:", timeout: 100ms }
                """ + ROUTES + """
                teams:
                  - { name: t, budget: { amountUsd: 50, period: weekly, timeZone: Europe/Berlin, alertPercents: [50, 90] } }
                keys:
                  - { name: k, team: t, key: sk-tg-config-key-1, budget: { amountUsd: 5, period: 12h } }
                """);
        RedisSettings redis = config.gateway().redis();
        assertThat(redis.address()).isEqualTo("redis.tollgate:6380");
        assertThat(redis.keyPrefix()).isEqualTo("prod:");
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(redis.toString()).doesNotContain("s3cret-pw");
        assertThat(config.gateway().defaultMaxTokens()).isEqualTo(2048);
        BackendConfig backend = config.routes().getFirst().backends().getFirst();
        assertThat(backend.rpm()).isEqualTo(100);
        assertThat(backend.tpm()).isEqualTo(50000);
        Budget team = config.teams().getFirst().budget();
        assertThat(team.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(team.alertPercents()).containsExactly(50, 90);
        Budget key = config.keys().getFirst().budget();
        assertThat(key.timeZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(key.alertPercents()).isEqualTo(Budget.DEFAULT_ALERT_PERCENTS);
        assertThat(key.amountUsd()).isEqualByComparingTo(new BigDecimal("5"));
    }

    @Test
    void limitSettingsSurviveTheConfigWriter() {
        GatewayConfig config = loader.parse("""
                gateway:
                  defaultMaxTokens: 2048
                  redis: { url: "redis://redis.tollgate:6380/2", keyPrefix: "prod:", timeout: 100ms }
                """ + ROUTES + """
                teams:
                  - { name: t, budget: { amountUsd: 50, period: weekly, timeZone: Europe/Berlin, alertPercents: [50, 90] } }
                keys:
                  - { name: k, team: t, key: sk-tg-config-key-1, budget: { amountUsd: 5, period: daily } }
                """);
        assertThat(loader.parse(ConfigWriter.write(ConfigWriter.tree(config)))).isEqualTo(config);
    }

    @Test
    void withoutRedisTheDefaultsApply() {
        GatewayConfig config = loader.parse(ROUTES);
        assertThat(config.gateway().redis()).isNull();
        assertThat(config.gateway().defaultMaxTokens()).isEqualTo(GatewaySettings.DEFAULT_MAX_TOKENS);
    }

    @Test
    void badValuesAreReportedWithTheirFieldPathAndNoSecret() {
        assertThatThrownBy(() -> loader.parse("""
                gateway:
                  redis: { url: "http://user:${REDIS_PASSWORD}@host:6379", timeout: 0s }
                routes:
                  - model: m
                    backends:
                      - { name: b, provider: mock, model: m, rpm: 0, tpm: lots }
                teams:
                  - { name: t, budget: { amountUsd: 1, timeZone: Mars/Olympus, alertPercents: [50, 150] } }
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    List<String> errors = e.errors();
                    assertThat(errors).anySatisfy(m -> assertThat(m).startsWith("gateway.redis.url:").contains("redis://"));
                    assertThat(errors).anySatisfy(m -> assertThat(m).startsWith("gateway.redis.timeout:"));
                    assertThat(errors).anySatisfy(m -> assertThat(m).startsWith("routes[0].backends[0].rpm:"));
                    assertThat(errors).anySatisfy(m -> assertThat(m).startsWith("routes[0].backends[0].tpm:"));
                    assertThat(errors).anySatisfy(m -> assertThat(m).startsWith("teams[0].budget.timeZone:").contains("Mars/Olympus"));
                    assertThat(errors).anySatisfy(m -> assertThat(m).startsWith("teams[0].budget.alertPercents[1]:"));
                    assertThat(String.join("\n", errors)).doesNotContain("s3cret-pw");
                });
    }
}
