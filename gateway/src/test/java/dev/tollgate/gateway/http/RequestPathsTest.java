package dev.tollgate.gateway.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What a path reduces to before the gateway decides which port and which key it needs. */
class RequestPathsTest {

    @ParameterizedTest
    @CsvSource({
            "/v1/chat/completions, /v1/chat/completions",
            "/metrics/, /metrics",
            "//metrics, /metrics",
            "/METRICS, /metrics",
            "/admin/../metrics, /metrics",
            "/../../metrics, /metrics",
            "/./admin//spend/, /admin/spend",
            "/%61dmin/spend, /admin/spend",
            "/%2561dmin/spend, /admin/spend",
            "/%2e%2e/metrics, /metrics",
            "/admin%2fspend, /admin/spend",
            "\\admin\\spend, /admin/spend",
            "/bad%zzescape, /bad%zzescape",
            "'', /"})
    void pathsReduceToWhatARouteCouldMeanByThem(String raw, String canonical) {
        assertThat(RequestPaths.canonical(raw)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({"/metrics, true, false", "/admin, true, true", "/admin/spend, true, true", "/administrator, false, false",
            "/v1/models, false, false", "/health/liveness, false, false", "/ui, true, false", "/ui/dashboard.js, true, false",
            "/uix, false, false"})
    void managementPathsAreAdminMetricsAndTheDashboard(String canonical, boolean management, boolean admin) {
        assertThat(RequestPaths.isManagement(canonical)).isEqualTo(management);
        assertThat(RequestPaths.isAdmin(canonical)).isEqualTo(admin);
    }
}
