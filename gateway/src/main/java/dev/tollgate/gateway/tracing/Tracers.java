package dev.tollgate.gateway.tracing;

import dev.tollgate.api.config.TracingSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.logging.Logger;

/** Builds the gateway's {@link RequestTracer}: {@link RequestTracer#OFF}, or OpenTelemetry exporting over OTLP/HTTP. */
public final class Tracers {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    /** The SDK's java.util.logging parent logger, held here because JUL keeps loggers only weakly. */
    private static final Logger SDK_LOG = Logger.getLogger("io.opentelemetry");

    private Tracers() {
    }

    /** The tracer the settings (and {@code OTEL_*} variables, see {@link TraceExport}) ask for. */
    public static RequestTracer create(TracingSettings settings, Function<String, String> env) {
        TraceExport export = TraceExport.resolve(settings, env);
        if (export == null) {
            return RequestTracer.OFF;
        }
        routeSdkLogsToLogback();
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(export.endpoint());
        export.headers().forEach(exporter::addHeader);
        return new OtelRequestTracer(provider(BatchSpanProcessor.builder(exporter.build()).build(), export.samplingRatio(),
                export.serviceName()), "on: OTLP/HTTP to " + withoutCredentials(export.endpoint()) + ", sampling ratio "
                + export.samplingRatio() + ", service " + export.serviceName());
    }

    /**
     * Sends what the SDK logs through java.util.logging (a collector that cannot be reached, a full span queue) to
     * SLF4J, so it appears once, in the gateway's log format, instead of as JUL's two-line text on stderr.
     */
    static void routeSdkLogsToLogback() {
        synchronized (SDK_LOG) {
            if (Arrays.stream(SDK_LOG.getHandlers()).noneMatch(h -> h instanceof SLF4JBridgeHandler)) {
                SDK_LOG.addHandler(new SLF4JBridgeHandler());
                SDK_LOG.setUseParentHandlers(false);
            }
        }
    }

    /** The endpoint for the log: scheme, host, port and path, never a user-info or query part that could hold a secret. */
    static String withoutCredentials(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return "(an endpoint that is not a URI)";
        }
    }

    /** A tracer that hands each ended span to {@code exporter} at once (tests: the SDK's in-memory exporter). */
    public static RequestTracer exportingTo(SpanExporter exporter, double samplingRatio) {
        return new OtelRequestTracer(provider(SimpleSpanProcessor.create(exporter), samplingRatio, TracingSettings.DEFAULT_SERVICE_NAME),
                "on: " + exporter.getClass().getSimpleName() + ", sampling ratio " + samplingRatio);
    }

    private static SdkTracerProvider provider(SpanProcessor processor, double ratio, String serviceName) {
        return SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
                .addSpanProcessor(processor)
                .build();
    }
}
