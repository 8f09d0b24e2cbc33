package dev.tollgate.gateway.tracing;

import dev.tollgate.api.config.TracingSettings;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where spans go and how many are kept: the gateway file's {@code tracing} block, each unset value taken from the
 * standard {@code OTEL_*} environment variables. Without a block, those variables alone turn tracing on (an OTLP
 * endpoint set, the SDK not disabled, the traces exporter not {@code none}).
 *
 * @param endpoint      the OTLP/HTTP traces URL
 * @param samplingRatio share of new traces kept
 * @param serviceName   {@code service.name}
 * @param headers       sent with each export; never logged
 */
public record TraceExport(String endpoint, double samplingRatio, String serviceName, Map<String, String> headers) {

    /** The OTLP/HTTP default of the OpenTelemetry SDKs. */
    public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

    /** The export to set up, or null when tracing is off. */
    public static TraceExport resolve(TracingSettings settings, Function<String, String> env) {
        if (settings == null) {
            boolean disabled = "true".equalsIgnoreCase(env.apply("OTEL_SDK_DISABLED"))
                    || "none".equalsIgnoreCase(env.apply("OTEL_TRACES_EXPORTER"));
            if (disabled || envEndpoint(env) == null) {
                return null;
            }
            settings = new TracingSettings(true, null, null, null, null);
        }
        if (!settings.enabled()) {
            return null;
        }
        String endpoint = settings.endpoint() != null ? settings.endpoint().toString() : envEndpoint(env);
        Double ratio = settings.samplingRatio() != null ? settings.samplingRatio() : envRatio(env);
        String service = settings.serviceName() != null ? settings.serviceName() : blankToNull(env.apply("OTEL_SERVICE_NAME"));
        Map<String, String> headers = !settings.headers().isEmpty() ? settings.headers() : envHeaders(env);
        return new TraceExport(endpoint == null ? DEFAULT_ENDPOINT : endpoint, ratio == null ? 1.0 : ratio,
                service == null ? TracingSettings.DEFAULT_SERVICE_NAME : service, headers);
    }

    private static String envEndpoint(Function<String, String> env) {
        String traces = blankToNull(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        if (traces != null) {
            return traces;
        }
        String base = blankToNull(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"));
        return base == null ? null : (base.endsWith("/") ? base : base + "/") + "v1/traces";
    }

    private static Double envRatio(Function<String, String> env) {
        String sampler = env.apply("OTEL_TRACES_SAMPLER");
        String arg = blankToNull(env.apply("OTEL_TRACES_SAMPLER_ARG"));
        if (sampler == null || arg == null || !sampler.toLowerCase(Locale.ROOT).endsWith("traceidratio")) {
            return null;
        }
        try {
            double ratio = Double.parseDouble(arg.trim());
            return ratio >= 0 && ratio <= 1 ? ratio : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS} or {@code OTEL_EXPORTER_OTLP_HEADERS}: {@code name=value,...}, values URL-encoded. */
    private static Map<String, String> envHeaders(Function<String, String> env) {
        String list = blankToNull(env.apply("OTEL_EXPORTER_OTLP_TRACES_HEADERS"));
        if (list == null) {
            list = blankToNull(env.apply("OTEL_EXPORTER_OTLP_HEADERS"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (list != null) {
            for (String pair : list.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    headers.put(pair.substring(0, eq).trim(), URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
                }
            }
        }
        return Map.copyOf(headers);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Header names only: their values are credentials. */
    @Override
    public String toString() {
        return "TraceExport[endpoint=" + endpoint + ", samplingRatio=" + samplingRatio + ", serviceName=" + serviceName
                + ", headers=" + headers.keySet() + "]";
    }
}
