package dev.tollgate.api.config;

import java.net.URI;
import java.util.Map;

/**
 * OpenTelemetry tracing of model requests, exported over OTLP/HTTP (protobuf). Read once at start.
 *
 * @param enabled       whether spans are recorded and exported; off costs the request path nothing
 * @param endpoint      the collector's traces URL, e.g. {@code http://otel-collector:4318/v1/traces}; null takes
 *                      {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} or the OTLP default
 * @param samplingRatio share of new traces recorded, 0 to 1; a client's {@code traceparent} decides for its own trace
 * @param serviceName   {@code service.name} of the spans; null takes {@code OTEL_SERVICE_NAME} or {@link #DEFAULT_SERVICE_NAME}
 * @param headers       headers sent to the collector (e.g. an authorization token as {@code ${ENV}}); never logged
 */
public record TracingSettings(boolean enabled, URI endpoint, Double samplingRatio, String serviceName, Map<String, String> headers) {

    public static final String DEFAULT_SERVICE_NAME = "tollgate-gateway";

    public TracingSettings {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Header names only: their values are credentials. */
    @Override
    public String toString() {
        return "TracingSettings[enabled=" + enabled + ", endpoint=" + endpoint + ", samplingRatio=" + samplingRatio
                + ", serviceName=" + serviceName + ", headers=" + headers.keySet() + "]";
    }
}
