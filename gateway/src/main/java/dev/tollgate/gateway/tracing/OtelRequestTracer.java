package dev.tollgate.gateway.tracing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.usage.Usage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Request and attempt spans on an OpenTelemetry SDK tracer; the client's W3C trace context is their parent. */
final class OtelRequestTracer implements RequestTracer {

    private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> headers) {
            return List.of();
        }

        @Override
        public String get(Function<String, String> headers, String name) {
            return headers == null ? null : headers.apply(name);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final String description;

    OtelRequestTracer(SdkTracerProvider provider, String description) {
        this.provider = provider;
        this.tracer = provider.get("dev.tollgate.gateway");
        this.description = description;
    }

    @Override
    public RequestSpan start(String endpoint, Function<String, String> headers) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
        String operation = SpanAttributes.operation(endpoint);
        Span span = tracer.spanBuilder(operation)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanAttributes.OPERATION, operation)
                .setAttribute(SpanAttributes.HTTP_METHOD, "POST")
                .startSpan();
        return new Request(span, operation);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private final class Request implements RequestSpan {
        private final Span span;
        private final String operation;
        private Attempt open;

        Request(Span span, String operation) {
            this.span = span;
            this.operation = operation;
        }

        @Override
        @SuppressWarnings("MustBeClosedChecker") // the scope stays open while this thread calls the upstream; Attempt.end closes it
        public AttemptSpan attempt(String route, BackendConfig backend, int number, boolean fallback) {
            if (open != null) {
                open.end(null, "abandoned");
            }
            Span attempt = tracer.spanBuilder(operation + " " + backend.model())
                    .setParent(Context.root().with(span))
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(SpanAttributes.OPERATION, operation)
                    .setAttribute(SpanAttributes.PROVIDER, SpanAttributes.providerName(backend.provider()))
                    .setAttribute(SpanAttributes.REQUEST_MODEL, backend.model())
                    .setAttribute(SpanAttributes.ROUTE, route)
                    .setAttribute(SpanAttributes.BACKEND, backend.name())
                    .setAttribute(SpanAttributes.ATTEMPT, (long) number)
                    .setAttribute(SpanAttributes.FALLBACK, fallback)
                    .startSpan();
            if (backend.baseUrl() != null && backend.baseUrl().getHost() != null) {
                attempt.setAttribute(SpanAttributes.SERVER_ADDRESS, backend.baseUrl().getHost());
                if (backend.baseUrl().getPort() > 0) {
                    attempt.setAttribute(SpanAttributes.SERVER_PORT, (long) backend.baseUrl().getPort());
                }
            }
            open = new Attempt(attempt, Context.current().with(attempt).makeCurrent());
            return open;
        }

        @Override
        public void end(RequestOutcome o) {
            if (open != null) {
                open.end(null, o.errorType() != null ? o.errorType() : "abandoned");
            }
            if (o.requestedModel() != null) {
                span.updateName(operation + " " + o.requestedModel());
                span.setAttribute(SpanAttributes.REQUEST_MODEL, o.requestedModel());
            }
            span.setAttribute(SpanAttributes.REQUEST_ID, o.requestId());
            span.setAttribute(SpanAttributes.KEY_NAME, o.keyName());
            if (o.team() != null) {
                span.setAttribute(SpanAttributes.TEAM, o.team());
            }
            if (o.route() != null) {
                span.setAttribute(SpanAttributes.ROUTE, o.route());
            }
            BackendConfig b = o.backend();
            if (b != null) {
                span.setAttribute(SpanAttributes.BACKEND, b.name());
                span.setAttribute(SpanAttributes.PROVIDER, SpanAttributes.providerName(b.provider()));
                span.setAttribute(SpanAttributes.RESPONSE_MODEL, b.model());
            }
            if (o.fallbackRoute() != null) {
                span.setAttribute(SpanAttributes.FALLBACK_ROUTE, o.fallbackRoute());
            }
            span.setAttribute(SpanAttributes.ATTEMPTS, (long) o.attempts());
            span.setAttribute(SpanAttributes.STREAM, o.streamed());
            tokens(span, o.usage());
            if (o.usage() != null) {
                span.setAttribute(SpanAttributes.USAGE_ESTIMATED, o.usage().estimated());
            }
            if (o.costUsd() != null) {
                span.setAttribute(SpanAttributes.COST_USD, o.costUsd().doubleValue());
            }
            span.setAttribute(SpanAttributes.HTTP_STATUS, (long) o.status());
            if (o.errorType() != null) {
                span.setAttribute(SpanAttributes.ERROR_TYPE, o.errorType());
                span.setStatus(StatusCode.ERROR, o.errorType());
            } else if (o.status() >= 500) {
                span.setAttribute(SpanAttributes.ERROR_TYPE, Integer.toString(o.status()));
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }

        private final class Attempt implements AttemptSpan {
            private final Span span;
            private final Scope scope;

            Attempt(Span span, Scope scope) {
                this.span = span;
                this.scope = scope;
            }

            @Override
            public void end(Usage billed, String errorType) {
                if (open != this) {
                    return;
                }
                open = null;
                scope.close();
                tokens(span, billed);
                if (errorType != null) {
                    span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                    span.setStatus(StatusCode.ERROR, errorType);
                }
                span.end();
            }
        }
    }

    private static void tokens(Span span, Usage usage) {
        if (usage != null) {
            span.setAttribute(SpanAttributes.INPUT_TOKENS, usage.promptTokens());
            span.setAttribute(SpanAttributes.OUTPUT_TOKENS, usage.completionTokens());
        }
    }
}
