package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alert webhooks load with defaults; bad values name their field path and never repeat a URL or header value. */
class AlertConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("SLACK_URL", "https://hooks.slack.com/services/T0/B0/secret",
            "TOKEN", "tok")::get, Set.of(), Map.of(), null);

    @Test
    void noAlertsSectionMeansNoWebhooks() {
        assertThat(loader.parse("gateway: { port: 4000 }\n").alerts()).isNull();
    }

    @Test
    void everySettingIsRead() {
        GatewayConfig c = loader.parse("""
                alerts:
                  queueCapacity: 50
                  maxAttempts: 3
                  retryBackoff: { initial: 2s, max: 1m }
                  timeout: 3s
                  redeliverAfter: 10m
                  webhooks:
                    - { url: "${SLACK_URL}", format: slack, thresholds: [80, 100] }
                    - { url: "https://alerts.example.com/tollgate", headers: { Authorization: "Bearer ${TOKEN}" } }
                """);
        AlertSettings a = c.alerts();
        assertThat(a.queueCapacity()).isEqualTo(50);
        assertThat(a.maxAttempts()).isEqualTo(3);
        assertThat(a.retryBackoff().initial()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.redeliverAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.webhooks()).containsExactly(
                new WebhookConfig(URI.create("https://hooks.slack.com/services/T0/B0/secret"), WebhookFormat.SLACK, Map.of(), List.of(80, 100)),
                new WebhookConfig(URI.create("https://alerts.example.com/tollgate"), WebhookFormat.JSON, Map.of("Authorization", "Bearer tok"), List.of()));
        assertThat(a.webhooks().getFirst().wants(50)).isFalse();
        assertThat(a.webhooks().getLast().wants(50)).isTrue();
        assertThat(a.webhooks().getFirst().toString()).doesNotContain("secret").contains("hooks.slack.com");
        assertThat(a.webhooks().getLast().toString()).doesNotContain("tok");
        assertThat(a.webhooks().getFirst().id()).matches("wh-[0-9a-f]{12}").isNotEqualTo(a.webhooks().getLast().id());
    }

    @Test
    void defaultsApplyToAnOmittedSetting() {
        AlertSettings a = loader.parse("alerts: { webhooks: [ { url: \"http://127.0.0.1:9/x\" } ] }\n").alerts();
        assertThat(a).isEqualTo(new AlertSettings(List.of(new WebhookConfig(URI.create("http://127.0.0.1:9/x"), null, null, null)),
                AlertSettings.DEFAULT_QUEUE_CAPACITY, AlertSettings.DEFAULT_MAX_ATTEMPTS, AlertSettings.DEFAULT_BACKOFF,
                AlertSettings.DEFAULT_TIMEOUT, AlertSettings.DEFAULT_REDELIVER_AFTER));
    }

    @Test
    void badValuesNameTheirFieldAndHideSecrets() {
        assertThatThrownBy(() -> loader.parse("""
                alerts:
                  queueCapacity: 0
                  retries: 3
                  webhooks:
                    - { url: "ftp://hooks.example.com/secret-path", format: teams }
                    - { url: "https://ok.example.com", headers: { "bad header": "x", X-Token: "" }, thresholds: [0, 101] }
                    - { format: json }
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).contains(
                            "alerts.queueCapacity: must be between 1 and 1000000 (was 0)",
                            "alerts.webhooks[0].url: must be an absolute http(s) URL",
                            "alerts.webhooks[1].headers.bad header: is not a valid name",
                            "alerts.webhooks[1].headers.X-Token: must be a non-empty string",
                            "alerts.webhooks[1].thresholds[0]: must be a whole number between 1 and 100",
                            "alerts.webhooks[1].thresholds[1]: must be a whole number between 1 and 100",
                            "alerts.webhooks[2].url: is required");
                    assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("alerts.retries: unknown field"));
                    assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("alerts.webhooks[0].format: must be one of [json, slack]"));
                    assertThat(String.join("\n", e.errors())).doesNotContain("secret-path");
                });
    }
}
