package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.inbound.TranslatedStream;
import dev.tollgate.gateway.inbound.TranslatingClientApi;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.request.ModelRequest;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;


/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as a client API, one instance per request. The request is
 * translated to a chat completions request for the pipeline (routing, limits, budgets, ledger and metrics see an
 * ordinary chat request). A backend whose provider serves the Responses API itself ({@link Provider#openAiResponses}:
 * OpenAI, Azure OpenAI) gets the client's own body (model replaced) and its answer or events are relayed unchanged;
 * any other backend is called in chat format and its answer translated back. The choice is made per attempt, so a
 * fallback from OpenAI to another provider is translated. Errors are OpenAI's, rendered by the server as for chat.
 */
public final class ResponsesApi extends TranslatingClientApi {

    private ObjectNode responsesBody;

    @Override
    public String apiKeyHeader(Context ctx) {
        return ctx.header("api-key");
    }

    @Override
    public ModelRequest parse(Endpoint endpoint, byte[] body) {
        responsesBody = ResponsesRequests.parse(body);
        ResponsesRequests.Translation translation = ResponsesRequests.toChat(responsesBody);
        untranslatable(translation.untranslatable());
        return ModelRequest.of(Endpoint.CHAT, translation.chat()); // checked as any chat request is
    }

    @Override
    protected Provider passThrough(Provider provider) {
        return provider.openAiResponses(responsesBody);
    }

    @Override
    protected JsonNode answer(JsonNode completion, ProviderResponse response) {
        return ResponsesObjects.response(responsesBody, completion, response.usage(),
                completion.path("created").asLong(System.currentTimeMillis() / 1000));
    }

    @Override
    protected TranslatedStream newStream(HttpServletResponse response) {
        return new ResponsesEventWriter(response, responsesBody);
    }
}
