package dev.tollgate.gateway.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Key and team labels are capped; spend is exact picodollars; histograms carry no key. */
class GatewayMetricsTest {

    @Test
    void keysBeyondTheCapAreCountedAsOther() {
        GatewayMetrics metrics = new GatewayMetrics(2);
        for (String key : new String[] {"k1", "k2", "k3", "k4", "k1"}) {
            metrics.billed(new GatewayMetrics.BilledLabels("chat", "b", "mock", "team-" + key, key), 10, 5, 0, 0, 1_000_000_007L);
            metrics.request(new GatewayMetrics.RequestLabels("chat", "team-" + key, key, 200, "ok"), Duration.ofMillis(5), null);
        }
        String scrape = metrics.scrape();

        assertThat(scrape).contains("key=\"k1\"").contains("key=\"k2\"").contains("key=\"other\"")
                .doesNotContain("key=\"k3\"").doesNotContain("key=\"k4\"");
        assertThat(scrape).contains("tollgate_spend_picodollars_total{backend=\"b\",key=\"k1\",model=\"chat\",provider=\"mock\",team=\"team-k1\"} 2.000000014E9")
                .contains("tollgate_spend_picodollars_total{backend=\"b\",key=\"other\",model=\"chat\",provider=\"mock\",team=\"other\"} 2.000000014E9");
        assertThat(scrape).contains("tollgate_requests_total{key=\"other\",model=\"chat\",outcome=\"ok\",status=\"200\",team=\"other\"} 2.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("tollgate_request_duration_seconds_bucket")))
                .isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain("key=").doesNotContain("team="));
    }

    @Test
    void seriesStayBoundedWhateverTheNumberOfKeys() {
        GatewayMetrics metrics = new GatewayMetrics();
        for (int i = 0; i < 5_000; i++) {
            String key = "team-" + (i % 50) + "/app-" + i;
            metrics.billed(new GatewayMetrics.BilledLabels("chat", "b", "mock", "team-" + (i % 50), key), 10, 5, 1, 0, 42);
            metrics.request(new GatewayMetrics.RequestLabels("chat", "team-" + (i % 50), key, 200, "ok"), Duration.ofMillis(5),
                    Duration.ofMillis(2));
            metrics.attempt(new GatewayMetrics.AttemptLabels("chat", "b", "mock", "ok"), null);
        }
        long series = metrics.scrape().lines().filter(l -> l.startsWith("tollgate_")).count();

        // key/team pairs: the first 100 keys (with their team) and "other" once per team (50 here, at most 101):
        // requests 1 + tokens 4 + spend 1 each; 17 duration, 14 first-token, 1 attempt and 2 config-reload series
        assertThat(series).isEqualTo((100 + 50) * 6 + 17 + 14 + 1 + 2);
    }

    @Test
    void aCapOfZeroKeepsNoKeyNames() {
        GatewayMetrics metrics = new GatewayMetrics(0);
        metrics.request(new GatewayMetrics.RequestLabels("chat", "red", "alice", 200, "ok"), Duration.ofMillis(5), null);
        assertThat(metrics.scrape()).contains("key=\"other\"").doesNotContain("alice").doesNotContain("red");
    }
}
