package dev.tollgate.operator;

import dev.tollgate.api.BuildInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How OperatorMain reads its environment. */
class OperatorSettingsTest {

    @Test
    void withNothingSetTheOperatorWatchesAllNamespacesWithoutLeaderElection() {
        OperatorSettings s = OperatorSettings.fromEnv(Map.<String, String>of()::get);

        assertThat(s.namespaces()).isEmpty();
        assertThat(s.spendInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.leaderElection()).isNull();
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theResyncIntervalIsReadFromItsFlagOrVariableAndMustBePositive() {
        assertThat(OperatorSettings.from(new String[] {"--resync-interval", "90s"}, Map.<String, String>of()::get).resyncInterval())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(OperatorSettings.fromEnv(Map.of("TOLLGATE_RESYNC_INTERVAL", "10m")::get).resyncInterval())
                .isEqualTo(Duration.ofMinutes(10));
        for (String bad : new String[] {"0s", "-1m", "soon"}) {
            assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TOLLGATE_RESYNC_INTERVAL", bad)::get))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TOLLGATE_RESYNC_INTERVAL: '" + bad + "' is not a positive duration such as 5m or 30s");
        }
    }

    @Test
    void everyVariableIsRead() {
        OperatorSettings s = OperatorSettings.fromEnv(Map.of(
                "TOLLGATE_WATCH_NAMESPACES", " team-a, ,team-b ,tollgate-system",
                "TOLLGATE_SPEND_INTERVAL", "1m",
                "TOLLGATE_LEADER_ELECTION_NAMESPACE", "tollgate-system",
                "TOLLGATE_HTTP_PORT", "9090")::get);

        assertThat(s.namespaces()).containsExactlyInAnyOrder("team-a", "team-b", "tollgate-system");
        assertThat(s.spendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.leaderElection()).isEqualTo("tollgate-system");
        assertThat(s.httpPort()).isEqualTo(9090);
    }

    @Test
    void blankValuesMeanTheDefaultAndZeroTurnsThePollerOff() {
        OperatorSettings s = OperatorSettings.fromEnv(Map.of("TOLLGATE_WATCH_NAMESPACES", "  ", "TOLLGATE_LEADER_ELECTION_NAMESPACE", "",
                "TOLLGATE_SPEND_INTERVAL", "0s", "TOLLGATE_HTTP_PORT", "-1")::get);

        assertThat(s.namespaces()).isEmpty();
        assertThat(s.leaderElection()).isNull();
        assertThat(s.spendInterval()).isZero();
        assertThat(s.httpPort()).isEqualTo(-1);
    }

    @Test
    void aBadValueIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TOLLGATE_SPEND_INTERVAL", "soon")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_SPEND_INTERVAL").hasMessageContaining("soon");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TOLLGATE_HTTP_PORT", "http")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_HTTP_PORT");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TOLLGATE_HTTP_PORT", "70000")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }

    @Test
    void withoutAGatewayImageGatewaysRunTheImageThisBuildProduces() {
        OperatorSettings s = OperatorSettings.fromEnv(Map.<String, String>of()::get);

        assertThat(s.gatewayImage()).isEqualTo(BuildInfo.current().gatewayImage())
                .isEqualTo("ghcr.io/tollgate-dev/tollgate-gateway:" + BuildInfo.current().version());
    }

    @Test
    void aGatewayImageByDigestFromTheEnvironmentIsTaken() {
        String pinned = "registry.internal/mirror/tollgate-gateway@sha256:" + "ab".repeat(32);

        assertThat(OperatorSettings.fromEnv(Map.of("TOLLGATE_GATEWAY_IMAGE", pinned)::get).gatewayImage()).isEqualTo(pinned);
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TOLLGATE_GATEWAY_IMAGE", "a b")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_GATEWAY_IMAGE");
    }

    @Test
    void flagsWinOverTheEnvironmentInBothSpellings() {
        OperatorSettings s = OperatorSettings.from(new String[] {"--watch-namespaces", "team-a,team-b", "--http-port=-1",
                        "--gateway-image", "example.org/gw:1"},
                Map.of("TOLLGATE_WATCH_NAMESPACES", "ignored", "TOLLGATE_SPEND_INTERVAL", "1m")::get);

        assertThat(s.namespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(s.httpPort()).isEqualTo(-1);
        assertThat(s.gatewayImage()).isEqualTo("example.org/gw:1");
        assertThat(s.spendInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anUnknownFlagOrAMissingValueIsRefusedNamingIt() {
        assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--namespaces", "a"}, Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--namespaces").hasMessageContaining("--watch-namespaces");
        assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--spend-interval"}, Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--spend-interval needs a value");
        assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--spend-interval=soon"}, Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_SPEND_INTERVAL");
    }
}
