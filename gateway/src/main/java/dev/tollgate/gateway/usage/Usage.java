package dev.tollgate.gateway.usage;

/**
 * Tokens of one call.
 *
 * @param promptTokens     all prompt tokens, cached and cache-written ones included
 * @param completionTokens all completion tokens, reasoning ones included
 * @param cachedTokens     prompt tokens read from the provider's cache
 * @param reasoningTokens  completion tokens spent on reasoning
 * @param estimated        counted by the gateway because the provider reported none
 * @param cacheWriteTokens prompt tokens written to the provider's cache (Anthropic, Bedrock), priced separately
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, boolean estimated,
                    long cacheWriteTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, false);

    /** Usage without cache writes. */
    public Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, boolean estimated) {
        this(promptTokens, completionTokens, cachedTokens, reasoningTokens, estimated, 0);
    }

    /**
     * The usage of a provider whose input tokens exclude cache reads and writes (Anthropic, Bedrock): the prompt
     * tokens are all three.
     */
    public static Usage ofUncachedInput(long uncachedInput, long output, long cacheRead, long cacheWrite) {
        return new Usage(uncachedInput + cacheRead + cacheWrite, output, cacheRead, 0, false, cacheWrite);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
