package dev.tollgate.gateway.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.request.ClientApi;
import dev.tollgate.gateway.request.ClientStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A client API translated to chat completions for the pipeline, one instance per request. Per attempt, a backend whose
 * provider serves the client's API itself ({@link #passThrough}) gets the client's own body and its answer or events
 * are relayed unchanged; any other backend is called in chat format, if the request translates, and its answer
 * translated back ({@link #answer}, {@link #newStream}).
 */
public abstract class TranslatingClientApi implements ClientApi {

    private GatewayException untranslatable;
    private TranslatedStream writer;

    /**
     * Records why the request does not translate to chat: fine for a backend that serves the client's API, refused
     * when any other backend is called.
     */
    protected final void untranslatable(GatewayException reason) {
        this.untranslatable = reason;
    }

    /** The provider's own implementation of the client's API for this request, or null when it has none. */
    protected abstract Provider passThrough(Provider provider);

    /** The client API's answer made of a chat completion ({@code response} is the provider's, for its usage). */
    protected abstract JsonNode answer(JsonNode completion, ProviderResponse response);

    /** The client API's stream writer. */
    protected abstract TranslatedStream newStream(HttpServletResponse response);

    @Override
    public final ProviderResponse call(Provider provider, ProviderRequest request) {
        Provider passThrough = passThrough(provider);
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
        return new ProviderResponse(Json.bytes(answer(completion, response)), response.usage(), response.text());
    }

    @Override
    public final ClientStream openStream(HttpServletResponse response) {
        writer = newStream(response);
        return writer;
    }

    @Override
    public final StreamResult stream(Provider provider, ProviderRequest request, ChunkSink sink) throws IOException {
        Provider passThrough = passThrough(provider);
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
