package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/**
 * The transport every HTTP provider shares: POSTs what its {@link Translator} builds with the route's timeouts, hands
 * a non-2xx answer to the translator's error mapping, and reads a stream with the translator, aborting the exchange
 * when the read stops early (the watchdog's timeout, the client gone, an invalid or error event) so that the upstream
 * stops generating and nothing is left holding the connection.
 */
public final class UpstreamShell implements Provider {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final String id;
    private final UpstreamHttp http;
    private final Translator translator;

    public UpstreamShell(String id, UpstreamHttp http, Translator translator) {
        this.id = id;
        this.http = http;
        this.translator = translator;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        UpstreamRequest upstream = translator.request(request);
        UpstreamResponse<byte[]> response = http.postJson(request.backend().name(), upstream.uri(), upstream.headers(), upstream.body(),
                request.timeout(), request.connectTimeout());
        if (response.statusCode() / 100 != 2) {
            throw translator.error(request, response.statusCode(), response.headers(), response.body());
        }
        return translator.answer(request, response::header, response.body());
    }

    /**
     * {@inheritDoc} A non-2xx answer is read (64 KiB at most) and mapped; an error body that breaks off is mapped on
     * its status alone: it is the upstream's failure, never taken for the client going away.
     */
    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        UpstreamRequest upstream = translator.request(request);
        UpstreamResponse<InputStream> response = http.postJsonStreaming(request.backend().name(), upstream.uri(), upstream.headers(),
                upstream.body(), request.connectTimeout());
        InputStream body = response.body();
        if (response.statusCode() / 100 != 2) {
            byte[] error;
            try (InputStream in = body) {
                error = in.readNBytes(MAX_ERROR_BODY);
            } catch (IOException e) {
                error = new byte[0];
            }
            throw translator.error(request, response.statusCode(), response.headers(), error);
        }
        StreamResult result;
        try {
            result = translator.stream(request, response::header, body, sink);
        } catch (IOException | RuntimeException | Error e) {
            UpstreamHttp.abort(body, e);
            throw e;
        }
        body.close();
        return result;
    }

    @Override
    public Provider anthropicMessages(ObjectNode messagesBody, String anthropicBeta) {
        Translator passThrough = translator.anthropicMessages(messagesBody, anthropicBeta);
        return passThrough == null ? null : new UpstreamShell(id, http, passThrough);
    }

    @Override
    public Provider anthropicTokenCount(ObjectNode messagesBody, String anthropicBeta) {
        Translator count = translator.anthropicTokenCount(messagesBody, anthropicBeta);
        return count == null ? null : new UpstreamShell(id, http, count);
    }

    @Override
    public Provider openAiResponses(ObjectNode responsesBody) {
        Translator passThrough = translator.openAiResponses(responsesBody);
        return passThrough == null ? null : new UpstreamShell(id, http, passThrough);
    }
}
