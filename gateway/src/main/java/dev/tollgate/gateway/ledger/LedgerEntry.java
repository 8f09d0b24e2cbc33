package dev.tollgate.gateway.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of the spend ledger: a client request, or one billed attempt of it ({@code parentRequestId} set).
 *
 * @param requestId        primary key; a replayed row with the same id is never written twice
 * @param parentRequestId  the client request this attempt belongs to, null for the request itself
 * @param endpoint         {@code chat}, {@code completions} or {@code embeddings}
 * @param startedAt        when the gateway received the request
 * @param firstTokenAt     when the first byte of the answer went to the client (streams), null otherwise
 * @param endedAt          when the answer was complete
 * @param keyName          virtual key name (never the key or its hash)
 * @param team             team of the key, may be null
 * @param requestedModel   model name the client asked for
 * @param backend          backend that served it, null if none was reached
 * @param provider         provider id of that backend
 * @param upstreamModel    model name sent upstream
 * @param promptTokens     prompt tokens (cached ones included)
 * @param completionTokens completion tokens (reasoning ones included)
 * @param cachedTokens     prompt tokens served from the provider's cache
 * @param reasoningTokens  completion tokens spent on reasoning
 * @param costUsd          exact cost in USD
 * @param status           HTTP status returned to the client
 * @param errorType        OpenAI error type when the request failed, else null
 * @param streamed         whether the answer was streamed
 * @param estimated        true when tokens were counted by the gateway because the provider reported none
 */
public record LedgerEntry(
        String requestId,
        String parentRequestId,
        String endpoint,
        Instant startedAt,
        Instant firstTokenAt,
        Instant endedAt,
        String keyName,
        String team,
        String requestedModel,
        String backend,
        String provider,
        String upstreamModel,
        long promptTokens,
        long completionTokens,
        long cachedTokens,
        long reasoningTokens,
        BigDecimal costUsd,
        int status,
        String errorType,
        boolean streamed,
        boolean estimated) {
}
