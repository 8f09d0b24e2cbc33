package dev.tollgate.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with jtokkit ({@code o200k_base}) when a provider reports none. Counts follow OpenAI's
 * published chat formula (3 tokens per message plus 3 for the reply priming); they are estimates and the
 * ledger marks them so.
 */
public final class TokenCounter {

    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int REPLY_PRIMING = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Prompt tokens of a chat request's {@code messages}. */
    public int countMessages(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return 0;
        }
        int total = REPLY_PRIMING;
        for (JsonNode message : messages) {
            total += TOKENS_PER_MESSAGE + count(message.path("role").asText(""));
            total += countContent(message.get("content"));
            if (message.hasNonNull("name")) {
                total += count(message.get("name").asText()) + 1;
            }
        }
        return total;
    }

    /** Tokens of a string, an array of strings, or an array of content parts ({@code {"type":"text","text":…}}). */
    public int countContent(JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return count(content.asText());
        }
        int total = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    total += count(part.asText());
                } else if (part.hasNonNull("text")) {
                    total += count(part.get("text").asText());
                } else if (part.isArray() || part.isNumber()) {
                    total += part.isArray() ? part.size() : 1; // token-id input
                }
            }
        }
        return total;
    }
}
