package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The security, content and spill settings load with defaults, and bad values name their field path. */
class SecurityConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get, Set.of(), Map.of(), null);

    @Test
    void defaultsAreSecure() {
        GatewayConfig c = loader.parse("gateway: { port: 4000 }\n");
        assertThat(c.gateway().contentLogging()).isEqualTo(ContentLogging.OFF);
        assertThat(c.gateway().security()).isEqualTo(SecuritySettings.defaults());
        assertThat(c.gateway().content()).isEqualTo(ContentSettings.defaults());
        assertThat(c.gateway().ledger().journal()).isTrue();
    }

    @Test
    void everySettingIsRead() {
        GatewayConfig c = loader.parse("""
                gateway:
                  port: 4000
                  contentLogging: redacted
                  content:
                    retentionDays: 7
                    purgeInterval: 10m
                    queueCapacity: 50
                    redactPatterns:
                      - { name: ticket, regex: "TCK-[0-9]{6}" }
                  security:
                    managementPort: 9090
                    shutdownGrace: 5s
                    maxHeaderBytes: 8192
                    maxHeaders: 40
                    idleTimeout: 20s
                    minRequestBytesPerSecond: 2048
                    authFailuresPerMinute: 10
                    headerTimeout: 3s
                    maxConnections: 5000
                    maxConnectionsPerAddress: 200
                  ledger: { spillDirectory: /var/spill, journal: false, retentionDays: 400 }
                keys:
                  - { name: a, key: sk-tg-aaaaaaaa, contentLogging: full }
                  - { name: b, key: sk-tg-bbbbbbbb }
                """);
        assertThat(c.gateway().contentLogging()).isEqualTo(ContentLogging.REDACTED);
        assertThat(c.gateway().content()).isEqualTo(new ContentSettings(7, Duration.ofMinutes(10), 50,
                java.util.List.of(new ContentSettings.RedactPattern("ticket", "TCK-[0-9]{6}"))));
        assertThat(c.gateway().security()).isEqualTo(new SecuritySettings(9090, Duration.ofSeconds(5), 8192, 40,
                Duration.ofSeconds(20), 2048, 10, Duration.ofSeconds(3), 5000, 200));
        assertThat(c.gateway().ledger().spillDirectory()).isEqualTo("/var/spill");
        assertThat(c.gateway().ledger().journal()).isFalse();
        assertThat(c.gateway().ledger().retentionDays()).isEqualTo(400);
        assertThat(c.keys().get(0).contentLogging()).isEqualTo(ContentLogging.FULL);
        assertThat(c.keys().get(1).contentLogging()).isNull();
    }

    @Test
    void badValuesNameTheirPath() {
        assertThatThrownBy(() -> loader.parse("""
                gateway:
                  port: 4000
                  content:
                    retentionDays: -1
                    redactPatterns:
                      - { name: "bad name", regex: "([a-z" }
                  security: { managementPort: 4000, maxHeaders: 2, shutdownGrace: soon, extra: 1, headerTimeout: 0s, maxConnections: 0,
                              maxConnectionsPerAddress: -1 }
                keys:
                  - { name: a, key: sk-tg-aaaaaaaa, contentLogging: everything }
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("gateway.content.retentionDays"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.content.redactPatterns[0].name"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.content.redactPatterns[0].regex").contains("not a valid regular expression"))
                        .anySatisfy(m -> assertThat(m).contains("managementPort must differ from port"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.security.maxHeaders"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.security.shutdownGrace"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.security.extra"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.security.headerTimeout"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.security.maxConnections:"))
                        .anySatisfy(m -> assertThat(m).startsWith("gateway.security.maxConnectionsPerAddress"))
                        .anySatisfy(m -> assertThat(m).startsWith("keys[0].contentLogging")));
    }
}
