package dev.tollgate.gateway.tracing;

import dev.tollgate.api.config.BackendConfig;

/** The server span of one model request: the parent of its upstream attempts. Used by one thread at a time. */
public interface RequestSpan {

    /** Tracing is off. */
    RequestSpan NONE = new RequestSpan() {
        @Override
        public AttemptSpan attempt(String route, BackendConfig backend, int number, boolean fallback) {
            return AttemptSpan.NONE;
        }

        @Override
        public void end(RequestOutcome outcome) {
        }
    };

    /**
     * Starts the client span of one upstream attempt, current on this thread until it ends so that the upstream call
     * carries its {@code traceparent}. Retries and fallbacks are sibling attempts.
     *
     * @param route    the route whose backend is called (a fallback route's on a fallback)
     * @param number   1 for the first attempt of the request, 2 for the next, ...
     * @param fallback whether the route is a fallback of the requested one
     */
    AttemptSpan attempt(String route, BackendConfig backend, int number, boolean fallback);

    /** Ends the span with what the request came to (an attempt still open is ended first). */
    void end(RequestOutcome outcome);
}
