package dev.tollgate.gateway.tracing;

import dev.tollgate.gateway.usage.Usage;

/** The client span of one upstream attempt. Ended on the thread that started it. */
public interface AttemptSpan {

    /** Tracing is off. */
    AttemptSpan NONE = (billed, errorType) -> {
    };

    /**
     * Ends the span with the attempt's outcome.
     *
     * @param billed    tokens of the attempt (reported or billed), null when none
     * @param errorType why it failed (the gateway's error code, {@code client_disconnected}, ...), null when it succeeded
     */
    void end(Usage billed, String errorType);
}
