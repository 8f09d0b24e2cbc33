package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.inbound.TranslatedStream;
import dev.tollgate.gateway.inbound.TranslatingClientApi;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.request.ModelRequest;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;


/**
 * Anthropic's Messages API as a client API, one instance per request. The request is translated to OpenAI's format
 * for the pipeline (routing, limits, ledger and metrics see an ordinary chat request); a backend whose provider speaks
 * the Messages API ({@link Provider#anthropicMessages}) gets the client's own body (model replaced) and its answer is
 * relayed unchanged, any other backend is called in OpenAI's format and its answer translated back.
 */
final class AnthropicMessagesApi extends TranslatingClientApi {

    private final String anthropicBeta;
    private ObjectNode messagesBody;

    private final boolean counting;

    AnthropicMessagesApi(String anthropicBeta) {
        this(anthropicBeta, false);
    }

    /** @param counting a {@code count_tokens} request: {@code max_tokens} is not required */
    AnthropicMessagesApi(String anthropicBeta, boolean counting) {
        this.anthropicBeta = anthropicBeta;
        this.counting = counting;
    }

    /** The client's Messages API body, once {@link #parse} has run. */
    ObjectNode messagesBody() {
        return messagesBody;
    }

    @Override
    public String apiKeyHeader(Context ctx) {
        String key = ctx.header("x-api-key");
        return key != null ? key : ctx.header("api-key");
    }

    @Override
    public ModelRequest parse(Endpoint endpoint, byte[] body) {
        messagesBody = counting ? MessagesRequests.parseForCount(body) : MessagesRequests.parse(body);
        ObjectNode openAi;
        try {
            openAi = MessagesRequests.toOpenAi(messagesBody);
        } catch (GatewayException e) {
            // Anthropic-only content (documents, server tools, ...) is fine for an Anthropic backend; any other
            // backend refuses it when called. The pipeline still gets the text, for limits and token counts.
            untranslatable(e);
            openAi = MessagesRequests.textOnly(messagesBody);
        }
        boolean stream = openAi.path("stream").asBoolean(false);
        Integer maxTokens = openAi.has("max_tokens") ? openAi.get("max_tokens").intValue() : null;
        return new ModelRequest(Endpoint.CHAT, openAi, openAi.get("model").asText(), stream, stream, maxTokens);
    }

    @Override
    protected Provider passThrough(Provider provider) {
        return provider.anthropicMessages(messagesBody, anthropicBeta);
    }

    @Override
    protected JsonNode answer(JsonNode completion, ProviderResponse response) {
        return MessagesResponses.message(completion, response.usage());
    }

    @Override
    protected TranslatedStream newStream(HttpServletResponse response) {
        return new MessagesEventWriter(response);
    }
}
