package dev.tollgate.operator;

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
}
