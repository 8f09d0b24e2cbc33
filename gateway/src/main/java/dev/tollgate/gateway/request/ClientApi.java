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

/**
 * The API a client speaks. Internally every request is OpenAI-format; a client API parses its own request into a
 * {@link ModelRequest}, calls the provider (translating, or passing through natively when the provider speaks the
 * client's API) and writes answers and streams in its own format. The pipeline stages (auth, limits, routing,
 * ledger, metrics) are the same for every client API.
 */
public interface ClientApi {

    /** OpenAI's API, the gateway's own. */
    ClientApi OPENAI = new OpenAiClientApi();

    /** The key header this API uses besides {@code Authorization: Bearer}, or null. */
    String apiKeyHeader(Context ctx);

    /** Parses the client's body into an OpenAI-format request. */
    ModelRequest parse(Endpoint endpoint, byte[] body);

    /** Calls the provider; the answer's body is in this API's format. */
    ProviderResponse call(Provider provider, ProviderRequest request);

    /** A stream writer in this API's format; nothing is written before its first chunk. */
    ClientStream openStream(HttpServletResponse response);

    /**
     * Streams one attempt's answer into {@code sink}: the router's wrapper (watchdog, first-byte commit) around the
     * stream this API opened with {@link #openStream}.
     */
    StreamResult stream(Provider provider, ProviderRequest request, ChunkSink sink) throws IOException;
}
