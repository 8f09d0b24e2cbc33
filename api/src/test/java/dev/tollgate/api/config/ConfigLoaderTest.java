package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    private static final String VALID = """
            gateway:
              port: 4100
              adminKey: ${ADMIN_KEY}
              database: { url: "jdbc:postgresql://db:5432/tollgate", username: tg, password: "${DB_PASSWORD:-dev}" }
              ledger: { batchSize: 200, flushInterval: 250ms }
            routes:
              - model: gpt-4o
                aliases: [smart]
                backends:
                  - name: openai-a
                    provider: openai
                    model: gpt-4o-2024-08-06
                    baseUrl: https://api.openai.com/v1
                    apiKey: ${OPENAI_KEY}
                    weight: 3
                    pricing: { inputPerMillion: 2.50, outputPerMillion: 10.00, cachedInputPerMillion: 1.25 }
                  - { name: mock-b, provider: mock, model: m }
                timeout: 30s
                fallbacks: [cheap]
              - model: cheap
                backends: [{ provider: mock, model: tiny }]
            teams:
              - { name: search, budget: { amountUsd: 100, period: monthly }, limits: { rpm: 600 } }
            keys:
              - name: search-prod
                team: search
                key: ${SEARCH_KEY}
                models: [smart, cheap]
                expiresAt: "2030-01-01T00:00:00Z"
                limits: { rpm: 60, tpm: 100000, parallel: 4 }
              - name: ops
                keyHash: sha256:0000000000000000000000000000000000000000000000000000000000000000
            """;

    private static final Map<String, String> ENV = Map.of("ADMIN_KEY", "sk-admin-123456", "OPENAI_KEY", "sk-upstream-1",
            "SEARCH_KEY", "sk-tg-search-abcdef");

    private final ConfigLoader loader = new ConfigLoader(ENV::get, Set.of("openai", "mock"), Map.of(), null);

    @Test
    void readsEveryFieldWithDefaultsAndSubstitutions() {
        GatewayConfig config = loader.parse(VALID);

        assertThat(config.gateway().port()).isEqualTo(4100);
        assertThat(config.gateway().database().password()).isEqualTo("dev");
        assertThat(config.gateway().ledger().flushInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.gateway().maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
        RouteConfig route = config.routes().getFirst();
        assertThat(route.aliases()).containsExactly("smart");
        assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(route.backends().getFirst().apiKey()).isEqualTo("sk-upstream-1");
        assertThat(route.backends().getFirst().pricing().inputPerMillion()).isEqualByComparingTo(new BigDecimal("2.50"));
        assertThat(route.backends().get(1).weight()).isEqualTo(1);
        assertThat(config.routes().get(1).backends().getFirst().name()).isEqualTo("mock/tiny");
        KeyConfig key = config.keys().getFirst();
        assertThat(key.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(key.limits()).isEqualTo(new Limits(60, 100000, 4));
        assertThat(config.keys().get(1).models()).containsExactly("*");
        assertThat(config.teams().getFirst().budget().period()).isEqualTo("monthly");
    }

    @Test
    void plaintextKeysAreHashedAndNotKept() {
        GatewayConfig config = loader.parse(VALID);

        assertThat(config.keys().getFirst().keyHash()).isEqualTo(KeyHashes.hash("sk-tg-search-abcdef"));
        assertThat(config.gateway().adminKeyHash()).isEqualTo(KeyHashes.hash("sk-admin-123456"));
        assertThat(config.toString()).doesNotContain("sk-tg-search-abcdef").doesNotContain("sk-admin-123456")
                .doesNotContain("sk-upstream-1");
    }

    @Test
    void reportsEveryErrorAtOnceWithItsFieldPath() {
        String bad = """
                gateway: { port: 70000, colour: blue }
                routes:
                  - model: a
                    backends: [{ provider: mock, model: m }]
                  - model: b
                    strategy: weighted
                    backends:
                      - { provider: openai, model: x, baseUrl: "not a url" }
                      - { provider: nope, model: y, weight: 5000 }
                    fallbacks: [ghost]
                keys:
                  - { name: k, key: short, models: [missing] }
                  - { name: k, keyHash: "sha256:xyz" }
                teams:
                  - { name: t, budget: { amountUsd: -5, period: fortnightly } }
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(bad));

        assertThat(e.errors()).contains(
                "gateway.port: must be between 0 and 65535 (was 70000)",
                "routes[1].backends[0].baseUrl: must be an absolute http(s) URL (was 'not a url')",
                "routes[1].backends[1].weight: must be between 0 and 1000 (was 5000)",
                "routes[1].fallbacks[0]: no route named 'ghost'",
                "keys[0].key: must be at least 8 characters",
                "keys[0].models[0]: no route named 'missing'",
                "keys[1].keyHash: must be sha256: followed by 64 lower-case hex digits",
                "keys[1].name: key 'k' is defined twice",
                "teams[0].budget.amountUsd: must not be negative (was -5)",
                "teams[0].budget.period: must be daily, weekly, monthly or a duration such as 12h (was 'fortnightly')");
        assertThat(e.errors()).anyMatch(m -> m.startsWith("gateway.colour: unknown field"));
        assertThat(e.errors()).anyMatch(m -> m.startsWith("routes[1].backends[1].provider: unknown provider 'nope'"));
        assertThat(e.getMessage()).contains(e.errors().size() + " configuration error(s)");
    }

    @Test
    void unsetVariableWithoutDefaultIsAnErrorNamingTheField() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(name -> null, Set.of(), Map.of(), null).parse(VALID));

        assertThat(e.errors()).contains("gateway.adminKey: environment variable ADMIN_KEY is not set and has no default",
                "routes[0].backends[0].apiKey: environment variable OPENAI_KEY is not set and has no default");
    }

    @Test
    void variablesCannotInjectStructure() {
        GatewayConfig config = new ConfigLoader(Map.of("NAME", "x\nkeys: []", "K", "sk-tg-0123456789")::get, Set.of(), Map.of(), null)
                .parse("""
                        routes: [{ model: m, backends: [{ provider: mock, model: "${NAME}" }] }]
                        keys: [{ name: k, key: "${K}" }]
                        """);

        assertThat(config.routes().getFirst().backends().getFirst().model()).isEqualTo("x\nkeys: []");
        assertThat(config.keys()).hasSize(1);
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThatThrownBy(() -> loader.parse("routes:\n  - model: [unclosed\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML at line");
    }

    @Test
    void bareOffIsExplained() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("gateway: { contentLogging: off }"));

        assertThat(e.errors().getFirst()).contains("gateway.contentLogging").contains("quote the value");
    }

    @Test
    void budgetPeriodsHaveCalendarBoundaries() {
        Instant now = Instant.parse("2026-11-27T10:15:00Z");
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;

        assertThat(BudgetPeriods.start("monthly", now, utc)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(BudgetPeriods.end("monthly", now, utc)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(BudgetPeriods.start("weekly", now, utc)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(BudgetPeriods.end("daily", now, utc)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(BudgetPeriods.start("12h", now, utc)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
    }

    @Test
    void theDatabaseTimeoutDefaultsToFiveSecondsAndMustBeAtLeast250Milliseconds() {
        String yaml = """
                gateway:
                  database: { url: "jdbc:postgresql://db/tg"%s }
                routes: []
                """;
        assertThat(loader.parse(yaml.formatted("")).gateway().database().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(loader.parse(yaml.formatted(", timeout: 750ms")).gateway().database().timeout()).isEqualTo(Duration.ofMillis(750));
        assertThatThrownBy(() -> loader.parse(yaml.formatted(", timeout: 100ms")))
                .hasMessageContaining("gateway.database.timeout").hasMessageContaining("must be at least 250ms (was '100ms')");
        assertThatThrownBy(() -> loader.parse(yaml.formatted(", timeout: soon")))
                .hasMessageContaining("gateway.database.timeout").hasMessageContaining("must be a duration");
    }

    @Test
    void databasePasswordsNeverAppearInToString() {
        DatabaseSettings db = new DatabaseSettings("jdbc:postgresql://db/tg?user=tg&password=hunter2&ssl=true", "tg", "s3cret", 4);

        assertThat(db.toString()).doesNotContain("hunter2").doesNotContain("s3cret").contains("password=***");
    }
}
