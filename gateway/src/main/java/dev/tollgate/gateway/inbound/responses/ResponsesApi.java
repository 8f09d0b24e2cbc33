package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.request.ClientApi;
import dev.tollgate.gateway.request.ClientStream;
import dev.tollgate.gateway.request.ModelRequest;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as a client API, one instance per request. The request is
 * translated to a chat completions request for the pipeline (routing, limits, budgets, ledger and metrics see an
 * ordinary chat request). A backend whose provider serves the Responses API itself ({@link Provider#openAiResponses}:
 * OpenAI, Azure OpenAI) gets the client's own body (model replaced) and its answer or events are relayed unchanged;
 * any other backend is called in chat format and its answer translated back. The choice is made per attempt, so a
 * fallback from OpenAI to another provider is translated. Errors are OpenAI's, rendered by the server as for chat.
 */
public final class ResponsesApi implements ClientApi {

    private ObjectNode responsesBody;
    private GatewayException untranslatable;
    private ResponsesEventWriter writer;

    @Override
    public String apiKeyHeader(Context ctx) {
        return ctx.header("api-key");
    }

    @Override
    public ModelRequest parse(Endpoint endpoint, byte[] body) {
        responsesBody = ResponsesRequests.parse(body);
        ResponsesRequests.Translation translation = ResponsesRequests.toChat(responsesBody);
        untranslatable = translation.untranslatable();
        return ModelRequest.of(Endpoint.CHAT, translation.chat()); // checked as any chat request is
    }

    @Override
    public ProviderResponse call(Provider provider, ProviderRequest request) {
        Provider passThrough = provider.openAiResponses(responsesBody);
        if (passThrough != null) {
            return passThrough.call(request);
        }
        requireTranslatable();
        ProviderResponse response = provider.call(request);
        JsonNode completion;
        try {
            completion = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw UpstreamException.badResponse(request.backend().name(), "not JSON");
        }
        ObjectNode answer = ResponsesObjects.response(responsesBody, completion, response.usage(),
                completion.path("created").asLong(System.currentTimeMillis() / 1000));
        return new ProviderResponse(Json.bytes(answer), response.usage(), response.text());
    }

    @Override
    public ClientStream openStream(HttpServletResponse response) {
        writer = new ResponsesEventWriter(response, responsesBody);
        return writer;
    }

    @Override
    public StreamResult stream(Provider provider, ProviderRequest request, ChunkSink sink) throws IOException {
        Provider passThrough = provider.openAiResponses(responsesBody);
        if (passThrough != null) {
            return passThrough.stream(request, sink);
        }
        requireTranslatable();
        StreamResult result = provider.stream(request, sink);
        if (writer != null) {
            writer.usage(result.usage());
        }
        return result;
    }

    private void requireTranslatable() {
        if (untranslatable != null) {
            throw untranslatable;
        }
    }
}
