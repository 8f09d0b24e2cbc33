package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigWriterTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("DB_PASSWORD", "s3cret")::get, Set.of(), Map.of(), null);

    static GatewayConfig richConfig() {
        GatewaySettings gateway = new GatewaySettings("0.0.0.0", 4000, KeyHashes.hash("sk-tg-admin-123456"), 8L * 1024 * 1024, 3,
                new DatabaseSettings("jdbc:postgresql://db:5432/tollgate", "tollgate", "pw-with-'quotes'", 7, Duration.ofMillis(1500)),
                new LedgerSettings(250, Duration.ofMillis(750), 5000), ContentLogging.REDACTED, null,
                GatewaySettings.DEFAULT_MAX_TOKENS, ContentSettings.defaults(), SecuritySettings.defaults(), null);
        RouteConfig fast = new RouteConfig("gpt-4o-mini", List.of("fast", "4"), List.of(
                new BackendConfig("openai-main", "openai", "gpt-4o-mini", URI.create("https://api.openai.com/v1"), "sk-upstream-xyz",
                        3, 0, new Pricing(new BigDecimal("0.15"), new BigDecimal("0.600"), new BigDecimal("0.075"), null), null, null, null, null, null, null),
                new BackendConfig("mock-fast", "mock", "mock-gpt", null, null, 1, 2,
                        new Pricing(new BigDecimal("10.00"), BigDecimal.ZERO, null, null), new MockSettings(Duration.ofMillis(20), 24), null, null, null, null, null)),
                RoutingStrategy.PRIORITY, 2, null, new Timeouts(Timeouts.DEFAULT.connect(), Duration.ofSeconds(45), null, null), null,
                List.of("big"), List.of(), List.of(), null, false);
        RouteConfig big = new RouteConfig("big", List.of(), List.of(
                new BackendConfig("mock-big", "mock", "mock-big", null, null, 1, 0, null, MockSettings.defaults(), null, null, null, null, null)),
                RoutingStrategy.WEIGHTED, 0, null, new Timeouts(Timeouts.DEFAULT.connect(), RouteConfig.DEFAULT_TIMEOUT, null, null),
                null, List.of(), List.of(), List.of(), null, false);
        KeyConfig rotated = new KeyConfig("team-a/app", "team-a/budget", KeyHashes.hash("sk-tg-new-key-1"),
                List.of(new KeyConfig.GraceHash(KeyHashes.hash("sk-tg-old-key-1"), Instant.parse("2030-01-01T10:15:30.123Z"))),
                List.of("gpt-4o-mini", "big"), Instant.parse("2031-06-30T00:00:00Z"), false,
                new Limits(60, 100_000, 4), new Budget(new BigDecimal("12.50"), "weekly", ZoneOffset.UTC, Budget.DEFAULT_ALERT_PERCENTS), null);
        KeyConfig suspended = new KeyConfig("team-b/batch", null, KeyHashes.hash("sk-tg-other-2"), List.of(), List.of("*"), null, true,
                Limits.NONE, null, null);
        TeamConfig team = new TeamConfig("team-a/budget", new Budget(new BigDecimal("100"), "monthly", ZoneOffset.UTC, Budget.DEFAULT_ALERT_PERCENTS), new Limits(600, null, null));
        TeamConfig hourly = new TeamConfig("team-c/budget", new Budget(BigDecimal.ZERO, "12h", ZoneOffset.UTC, Budget.DEFAULT_ALERT_PERCENTS), Limits.NONE);
        return new GatewayConfig(gateway, List.of(fast, big), List.of(rotated, suspended), List.of(team, hourly));
    }

    @Test
    void writtenConfigLoadsBackToAnEqualConfig() {
        GatewayConfig cfg = richConfig();

        assertThat(loader.parse(ConfigWriter.write(ConfigWriter.tree(cfg)))).isEqualTo(cfg);
    }

    @Test
    void outputCarriesNoHelperPropertiesAndIsDeterministic() {
        String yaml = ConfigWriter.write(ConfigWriter.tree(richConfig()));

        assertThat(yaml).doesNotContain("sqlite:", "empty:", "cachedOrInput", "sk-tg-new-key-1", "sk-tg-admin");
        assertThat(yaml).contains("keyHash", "PT45S", "2030-01-01T10:15:30.123Z");
        assertThat(ConfigWriter.write(ConfigWriter.tree(richConfig()))).isEqualTo(yaml);
    }

    @Test
    void environmentReferencesSurviveWritingAndResolveOnLoad() {
        GatewayConfig cfg = new GatewayConfig(new GatewaySettings("0.0.0.0", 4000, null, GatewaySettings.DEFAULT_MAX_BODY_BYTES, 1,
                new DatabaseSettings("jdbc:postgresql://db/tollgate", "app", "${DB_PASSWORD}", 10), LedgerSettings.defaults(),
                ContentLogging.OFF, null, GatewaySettings.DEFAULT_MAX_TOKENS, ContentSettings.defaults(), SecuritySettings.defaults(), null), List.of(), List.of(), List.of());

        GatewayConfig loaded = loader.parse(ConfigWriter.write(ConfigWriter.tree(cfg)));

        assertThat(loaded.gateway().database().password()).isEqualTo("s3cret");
    }
}
