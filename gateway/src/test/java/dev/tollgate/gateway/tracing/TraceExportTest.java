package dev.tollgate.gateway.tracing;

import dev.tollgate.api.config.TracingSettings;
import dev.tollgate.gateway.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** How the file's tracing block and the standard OTEL_* variables decide where spans go. */
class TraceExportTest {

    @Test
    void noBlockAndNoOtelVariablesIsOff() {
        assertThat(TraceExport.resolve(null, Map.<String, String>of()::get)).isNull();
        assertThat(Tracers.create(null, Map.<String, String>of()::get)).isSameAs(RequestTracer.OFF);
    }

    @Test
    void otelVariablesAloneTurnItOn() {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_SERVICE_NAME", "gw-eu", "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20abc,x-tenant=t1");
        TraceExport export = TraceExport.resolve(null, env::get);
        assertThat(export).isEqualTo(new TraceExport("http://collector:4318/v1/traces", 0.25, "gw-eu",
                Map.of("authorization", "Bearer abc", "x-tenant", "t1")));
        assertThat(export.toString()).doesNotContain("abc");
    }

    @Test
    void disabledSdkOrNoneExporterKeepsItOff() {
        assertThat(TraceExport.resolve(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "true")::get)).isNull();
        assertThat(TraceExport.resolve(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_TRACES_EXPORTER", "none")::get)).isNull();
    }

    @Test
    void fileValuesWinAndUnsetOnesComeFromTheEnvironment() {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://env:4318/v1/traces", "OTEL_SERVICE_NAME", "from-env");
        TraceExport export = TraceExport.resolve(new TracingSettings(true, null, 0.5, null, Map.of("x-key", "v")), env::get);
        assertThat(export).isEqualTo(new TraceExport("http://env:4318/v1/traces", 0.5, "from-env", Map.of("x-key", "v")));

        TraceExport fromFile = TraceExport.resolve(new TracingSettings(true, URI.create("http://file:4318/v1/traces"), null, "gw", null), env::get);
        assertThat(fromFile).isEqualTo(new TraceExport("http://file:4318/v1/traces", 1.0, "gw", Map.of()));
    }

    @Test
    void blockWithoutEndpointAnywhereUsesTheOtlpDefault() {
        TraceExport export = TraceExport.resolve(new TracingSettings(true, null, null, null, null), Map.<String, String>of()::get);
        assertThat(export.endpoint()).isEqualTo(TraceExport.DEFAULT_ENDPOINT);
        assertThat(export.serviceName()).isEqualTo(TracingSettings.DEFAULT_SERVICE_NAME);
    }

    @Test
    void blockTurnedOffWinsOverTheEnvironment() {
        assertThat(TraceExport.resolve(new TracingSettings(false, null, null, null, null),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")::get)).isNull();
    }

    @Test
    void sdkWarningsArriveInTheGatewaysLog() {
        Tracers.routeSdkLogsToLogback();
        try (CapturedLogs logs = new CapturedLogs()) {
            Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter")
                    .warning("Failed to export spans. The request could not be executed.");
            assertThat(logs.events()).anySatisfy(e -> {
                assertThat(e.getLoggerName()).isEqualTo("io.opentelemetry.exporter.internal.http.HttpExporter");
                assertThat(e.getFormattedMessage()).startsWith("Failed to export spans");
            });
        }
    }

    @Test
    void endpointInTheStartupLogLosesUserInfoAndQuery() {
        assertThat(Tracers.withoutCredentials("https://user:pw@collector.example:4318/v1/traces?token=abc"))
                .isEqualTo("https://collector.example:4318/v1/traces");
    }

    @Test
    void otlpTracerDescribesItselfWithoutHeaderValues() {
        try (RequestTracer tracer = Tracers.create(new TracingSettings(true, URI.create("http://127.0.0.1:1/v1/traces"), 0.1, null,
                Map.of("authorization", "Bearer secret-token")), Map.<String, String>of()::get)) {
            assertThat(tracer.describe()).isEqualTo("on: OTLP/HTTP to http://127.0.0.1:1/v1/traces, sampling ratio 0.1, service tollgate-gateway")
                    .doesNotContain("secret-token");
        }
    }
}
