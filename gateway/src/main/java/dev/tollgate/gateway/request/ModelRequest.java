package dev.tollgate.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.Endpoint;

/**
 * A client's model request, parsed once and checked for the fields the gateway needs.
 *
 * @param endpoint         which endpoint was called
 * @param body             the whole body; fields the gateway does not interpret stay in it unchanged
 * @param model            requested model name
 * @param stream           whether an SSE stream was asked for
 * @param clientWantsUsage {@code stream_options.include_usage}
 * @param maxTokens        {@code max_completion_tokens} or {@code max_tokens}, null when absent
 * @param rawBody          the client's bytes of {@code body} when they are OpenAI's format (null when translated from
 *                         another API); never changed, so a provider may send them as they are
 */
public record ModelRequest(Endpoint endpoint, ObjectNode body, String model, boolean stream, boolean clientWantsUsage, Integer maxTokens,
                           byte[] rawBody) {

    /** A request translated from another API: no raw OpenAI bytes. */
    public ModelRequest(Endpoint endpoint, ObjectNode body, String model, boolean stream, boolean clientWantsUsage, Integer maxTokens) {
        this(endpoint, body, model, stream, clientWantsUsage, maxTokens, null);
    }

    public static ModelRequest parse(Endpoint endpoint, byte[] bytes) {
        ObjectNode root = JsonBody.object(bytes);
        return checked(endpoint, root, bytes);
    }

    /**
     * A request another client API has already translated into OpenAI's format: the same checks as {@link #parse},
     * without serializing and parsing the body again (no raw bytes: a provider serializes it when it sends it).
     */
    public static ModelRequest of(Endpoint endpoint, ObjectNode body) {
        return checked(endpoint, body, null);
    }

    private static ModelRequest checked(Endpoint endpoint, ObjectNode body, byte[] bytes) {
        String model = requiredString(body, "model");
        switch (endpoint) {
            case CHAT -> {
                JsonNode messages = required(body, "messages");
                if (!messages.isArray()) {
                    throw GatewayException.invalidRequest("messages", "Invalid type for 'messages': expected an array of messages.");
                }
                if (messages.isEmpty()) {
                    throw GatewayException.invalidRequest("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1.");
                }
                for (int i = 0; i < messages.size(); i++) {
                    if (!messages.get(i).isObject() || !messages.get(i).path("role").isTextual()) {
                        throw GatewayException.invalidRequest("messages[" + i + "]", "Invalid 'messages[" + i + "]': each message must be an object with a string 'role'.");
                    }
                }
            }
            case COMPLETIONS -> checkTextInput(body, "prompt");
            case EMBEDDINGS -> checkTextInput(body, "input");
            case RESPONSES -> { } // never here: ResponsesApi translates a Responses request into a CHAT one
        }
        RequestShape.checkCommon(body);
        if (endpoint == Endpoint.CHAT) {
            RequestShape.checkChat(body);
        }
        boolean stream = false;
        JsonNode s = body.get("stream");
        if (s != null && !s.isNull()) {
            if (!s.isBoolean()) {
                throw GatewayException.invalidRequest("stream", "Invalid type for 'stream': expected a boolean.");
            }
            stream = s.booleanValue();
        }
        if (stream && endpoint == Endpoint.EMBEDDINGS) {
            throw GatewayException.invalidRequest("stream", "Embeddings cannot be streamed.");
        }
        boolean wantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        Integer maxTokens = positiveInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = positiveInt(body, "max_tokens");
        }
        return new ModelRequest(endpoint, body, model, stream, wantsUsage, maxTokens, bytes);
    }

    private static JsonNode required(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw GatewayException.invalidRequest(field, "Missing required parameter: '" + field + "'.");
        }
        return v;
    }

    private static String requiredString(ObjectNode body, String field) {
        JsonNode v = required(body, field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw GatewayException.invalidRequest(field, "Invalid type for '" + field + "': expected a non-empty string.");
        }
        return v.asText();
    }

    private static void checkTextInput(ObjectNode body, String field) {
        JsonNode v = required(body, field);
        if (!v.isTextual() && !v.isArray()) {
            throw GatewayException.invalidRequest(field, "Invalid type for '" + field + "': expected a string or an array.");
        }
    }

    /** A field {@link RequestShape} has already checked to be absent or an integer within its bounds. */
    private static Integer positiveInt(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.intValue();
    }

    /** Completions asked for ({@code n}, 1 to {@link RequestShape#MAX_CHOICES}); each may use up to {@code maxTokens}. */
    public int choices() {
        JsonNode n = body.get("n");
        return n != null && n.canConvertToInt() && n.intValue() > 1 ? Math.min(n.intValue(), RequestShape.MAX_CHOICES) : 1;
    }

    /**
     * The most completion tokens the request can produce: {@code maxTokens} (or {@code whenUnset}) times
     * {@link #choices()}. Long arithmetic on bounded inputs: it cannot overflow.
     */
    public long completionTokenCeiling(long whenUnset) {
        long perChoice = maxTokens != null ? maxTokens : Math.max(0, whenUnset);
        return perChoice * choices();
    }
}
