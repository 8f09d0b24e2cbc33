package dev.tollgate.gateway.ledger;

import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of the spend ledger: a client request, or one billed attempt of it ({@code parentRequestId} set). The row is
 * a few named parts rather than a long list of positions; it never holds request or response content.
 *
 * @param requestId       primary key; a replayed row with the same id is never written twice
 * @param parentRequestId the client request this attempt belongs to, null for the request itself
 * @param who             the virtual key and its team
 * @param what            which endpoint, model and backend
 * @param timing          when it started, answered and ended
 * @param tokens          tokens billed (from the provider, or counted by the gateway and marked estimated)
 * @param costUsd         exact cost in USD (stored as {@link Picodollars})
 * @param outcome         what the client got
 * @param attribution     the end user and tags the client named for this request
 */
public record LedgerEntry(
        String requestId,
        String parentRequestId,
        Who who,
        What what,
        Timing timing,
        Usage tokens,
        BigDecimal costUsd,
        Outcome outcome,
        Attribution attribution) {

    /** @throws NullPointerException if a part other than {@code attribution} is null */
    public LedgerEntry {
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(outcome, "outcome");
        attribution = attribution == null ? Attribution.NONE : attribution;
    }

    /**
     * Who made the request.
     *
     * @param keyName virtual key name (never the key or its hash)
     * @param team    team of the key, may be null
     */
    public record Who(String keyName, String team) {
    }

    /**
     * What was called.
     *
     * @param endpoint       {@code chat}, {@code completions} or {@code embeddings}
     * @param requestedModel model name the client asked for
     * @param backend        backend that served it, null if none was reached
     * @param provider       provider id of that backend
     * @param upstreamModel  model name sent upstream
     * @param streamed       whether the answer was streamed
     */
    public record What(String endpoint, String requestedModel, String backend, String provider, String upstreamModel,
                       boolean streamed) {
    }

    /**
     * When it happened.
     *
     * @param startedAt    when the gateway received the request
     * @param firstTokenAt when the first byte of the answer went to the client (streams), null otherwise
     * @param endedAt      when the answer was complete
     */
    public record Timing(Instant startedAt, Instant firstTokenAt, Instant endedAt) {
    }

    /**
     * How it ended.
     *
     * @param status    HTTP status returned to the client
     * @param errorType OpenAI error code or type when the request failed, else null
     */
    public record Outcome(int status, String errorType) {
    }

    /**
     * Whom and what the client attributed the request to (see {@code docs/api.md}, "Attribution").
     *
     * @param user the end user (OpenAI's {@code user}, Anthropic's {@code metadata.user_id}), null when not given
     * @param tags distinct tags, in the order given: from the {@code x-tollgate-tags} header and, as {@code key=value},
     *             from OpenAI's {@code metadata}
     */
    public record Attribution(String user, List<String> tags) {

        public static final Attribution NONE = new Attribution(null, List.of());

        public Attribution {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** The key name ({@link Who#keyName()}). */
    public String keyName() {
        return who.keyName();
    }

    /** The team ({@link Who#team()}). */
    public String team() {
        return who.team();
    }

    /** When the request started ({@link Timing#startedAt()}): the instant that places the row in a budget period. */
    public Instant startedAt() {
        return timing.startedAt();
    }
}
