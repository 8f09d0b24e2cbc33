package dev.tollgate.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads OpenAI's {@code usage} object (chat, completions and embeddings shapes, and the Responses API's). */
public final class OpenAiUsage {

    private OpenAiUsage() {
    }

    /** Returns the usage, or null when {@code usage} is absent or null. */
    public static Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
        long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
        long cached = usage.path("prompt_tokens_details").path("cached_tokens")
                .asLong(usage.path("input_tokens_details").path("cached_tokens").asLong(0));
        long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens")
                .asLong(usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
        return new Usage(prompt, completion, cached, reasoning, false);
    }
}
