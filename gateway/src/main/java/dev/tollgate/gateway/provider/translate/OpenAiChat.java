package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.usage.Usage;

import java.util.List;

/** Builds OpenAI {@code chat.completion} answers and {@code chat.completion.chunk} stream chunks from translated parts. */
public final class OpenAiChat {

    private OpenAiChat() {
    }

    /** One tool call of an answer: OpenAI's {@code {id, type: function, function: {name, arguments}}}. */
    public record ToolCall(String id, String name, String arguments) {
    }

    /** One choice of a whole answer. */
    public record Choice(int index, String content, List<ToolCall> toolCalls, String finishReason) {
    }

    /** A whole {@code chat.completion} body. */
    public static ObjectNode completion(String id, String model, long created, List<Choice> choices, Usage usage) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", model);
        ArrayNode array = root.putArray("choices");
        for (Choice c : choices) {
            ObjectNode choice = array.addObject();
            choice.put("index", c.index());
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (c.content() == null || (c.content().isEmpty() && !c.toolCalls().isEmpty())) {
                message.putNull("content");
            } else {
                message.put("content", c.content());
            }
            message.putNull("refusal");
            if (!c.toolCalls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall t : c.toolCalls()) {
                    ObjectNode call = calls.addObject();
                    call.put("id", t.id());
                    call.put("type", "function");
                    call.putObject("function").put("name", t.name()).put("arguments", t.arguments());
                }
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finishReason());
        }
        if (usage != null) {
            root.set("usage", usage(usage));
        }
        return root;
    }

    /**
     * A whole answer: the {@code chat.completion} body, its usage, and (when the provider reported no usage) the text
     * of its choices, for counting tokens.
     */
    public static ProviderResponse answer(String id, String model, long created, List<Choice> choices, Usage usage) {
        byte[] body = Json.bytes(completion(id, model, created, choices, usage));
        if (usage != null) {
            return new ProviderResponse(body, usage, null);
        }
        StringBuilder text = new StringBuilder();
        choices.forEach(c -> text.append(c.content()));
        return new ProviderResponse(body, null, text.toString());
    }

    /** OpenAI's {@code usage} object: prompt tokens include cached and cache-written ones. */
    public static ObjectNode usage(Usage usage) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return u;
    }

    /** A chunk with one choice whose delta is {@code delta}. */
    public static ObjectNode chunk(String id, String model, long created, int index, ObjectNode delta, String finishReason) {
        ObjectNode root = chunkHead(id, model, created);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    /** The usage-only chunk OpenAI sends last when {@code stream_options.include_usage} is set. */
    public static ObjectNode usageChunk(String id, String model, long created, Usage usage) {
        ObjectNode root = chunkHead(id, model, created);
        root.putArray("choices");
        root.set("usage", usage(usage));
        return root;
    }

    private static ObjectNode chunkHead(String id, String model, long created) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion.chunk");
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    /** Serializes a tool call's arguments (a JSON value) to OpenAI's arguments string. */
    public static String arguments(JsonNode input) {
        return input == null || input.isNull() || input.isMissingNode() ? "{}" : input.toString();
    }
}
