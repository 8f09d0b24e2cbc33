package dev.tollgate.gateway.usage;

/**
 * Tokens of one call.
 *
 * @param promptTokens     all prompt tokens, cached ones included
 * @param completionTokens all completion tokens, reasoning ones included
 * @param cachedTokens     prompt tokens read from the provider's cache
 * @param reasoningTokens  completion tokens spent on reasoning
 * @param estimated        counted by the gateway because the provider reported none
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, boolean estimated) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, false);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
