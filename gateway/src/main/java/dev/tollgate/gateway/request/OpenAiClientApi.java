package dev.tollgate.gateway.request;

import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** OpenAI's API: requests parsed as they are, providers' OpenAI-format answers written unchanged, SSE chunks. */
final class OpenAiClientApi implements ClientApi {

    @Override
    public String apiKeyHeader(Context ctx) {
        return ctx.header("api-key");
    }

    @Override
    public ModelRequest parse(Endpoint endpoint, byte[] body) {
        return ModelRequest.parse(endpoint, body);
    }

    @Override
    public ProviderResponse call(Provider provider, ProviderRequest request) {
        return provider.call(request);
    }

    @Override
    public ClientStream openStream(HttpServletResponse response) {
        return new SseWriter(response);
    }

    @Override
    public StreamResult stream(Provider provider, ProviderRequest request, ChunkSink sink) throws IOException {
        return provider.stream(request, sink);
    }
}
