package dev.tollgate.gateway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.function.BiConsumer;

/**
 * What the upstream HTTP client does for the attempt span current on its thread: sends its {@code traceparent} and
 * records the upstream's status. Without a current span (tracing off) both return after one thread-local read.
 */
public final class UpstreamTracing {

    private static final TextMapSetter<BiConsumer<String, String>> SETTER = (headers, name, value) -> headers.accept(name, value);

    private UpstreamTracing() {
    }

    /** Adds {@code traceparent} (and {@code tracestate}) of the current attempt to an upstream request's headers. */
    public static void inject(BiConsumer<String, String> headers) {
        Context context = Context.current();
        if (Span.fromContext(context).getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(context, headers, SETTER);
        }
    }

    /** Records the HTTP status the upstream answered with on the current attempt. */
    public static void responded(int status) {
        Span span = Span.current();
        if (span.isRecording()) {
            span.setAttribute(SpanAttributes.HTTP_STATUS, status);
        }
    }
}
