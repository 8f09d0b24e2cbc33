package dev.tollgate.gateway.tracing;

import java.util.function.Function;

/**
 * Starts the trace of one model request. {@link #OFF} (tracing not configured) does nothing and allocates nothing;
 * {@link Tracers} builds the OpenTelemetry one.
 */
public interface RequestTracer extends AutoCloseable {

    /** No spans, no trace context read from clients or sent upstream. */
    RequestTracer OFF = new RequestTracer() {
        @Override
        public RequestSpan start(String endpoint, Function<String, String> headers) {
            return RequestSpan.NONE;
        }

        @Override
        public String describe() {
            return "off";
        }
    };

    /**
     * Starts the server span of a request, a child of the client's {@code traceparent} when it sent one.
     *
     * @param endpoint the OpenAI endpoint's label ({@code chat}, {@code completions}, {@code embeddings})
     * @param headers  the client's request headers by name
     */
    RequestSpan start(String endpoint, Function<String, String> headers);

    /** One line for the startup log: off, or where spans go and how many are kept. Never a header value. */
    String describe();

    /** Exports the spans still buffered, then stops. */
    @Override
    default void close() {
    }
}
