package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.usage.Usage;

/**
 * A complete (non-streamed) answer, already in OpenAI's response format.
 *
 * @param body  the JSON body returned to the client
 * @param usage tokens as the provider reported them, or null when it reported none (the gateway then counts)
 * @param text  the generated text, used only to count tokens when {@code usage} is null
 */
public record ProviderResponse(byte[] body, Usage usage, String text) {
}
