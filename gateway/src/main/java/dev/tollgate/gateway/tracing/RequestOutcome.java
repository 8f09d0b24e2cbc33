package dev.tollgate.gateway.tracing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;

/**
 * What a model request came to, as the ledger records it: the server span's closing attributes.
 *
 * @param requestId      the gateway's request id
 * @param requestedModel the model the client named, null when the body was not read
 * @param route          the route that served it (its public model), null before routing
 * @param backend        the backend of the last attempt, null when none ran
 * @param keyName        the virtual key's name (never the key)
 * @param team           the key's team, null when none
 * @param status         HTTP status given to the client
 * @param errorType      the error code when the request failed (a stream that broke mid-way too), else null
 * @param usage          tokens of the answer, null when none
 * @param costUsd        cost of the answer in USD
 * @param attempts       upstream attempts made
 * @param fallbackRoute  the fallback route that served it, null when its own route did
 * @param streamed       whether the client asked for a stream
 */
public record RequestOutcome(String requestId, String requestedModel, String route, BackendConfig backend, String keyName,
                             String team, int status, String errorType, Usage usage, BigDecimal costUsd, int attempts,
                             String fallbackRoute, boolean streamed) {
}
