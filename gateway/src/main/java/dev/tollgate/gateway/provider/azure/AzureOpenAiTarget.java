package dev.tollgate.gateway.provider.azure;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.openai.OpenAiTarget;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Azure OpenAI: {@code <baseUrl>/openai/deployments/<deployment>/chat/completions?api-version=<apiVersion>} with the
 * {@code api-key} header. The backend's {@code model} is the deployment name; the wire format is OpenAI's. The
 * Responses API is Azure's v1 API, {@code <baseUrl>/openai/v1/responses} (no api-version), with the deployment name
 * as {@code model}.
 */
public final class AzureOpenAiTarget implements OpenAiTarget {

    @Override
    public URI uri(BackendConfig backend, Endpoint endpoint) {
        String base = backend.baseUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/openai/deployments/" + URLEncoder.encode(backend.model(), StandardCharsets.UTF_8) + "/"
                + endpoint.path() + "?api-version=" + URLEncoder.encode(backend.apiVersion(), StandardCharsets.UTF_8));
    }

    @Override
    public boolean servesResponses() {
        return true;
    }

    @Override
    public URI responsesUri(BackendConfig backend) {
        String base = backend.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/openai/v1/responses");
    }

    @Override
    public void authenticate(BackendConfig backend, Map<String, String> headers) {
        if (backend.apiKey() != null && !backend.apiKey().isEmpty()) {
            headers.put("api-key", backend.apiKey());
        }
    }
}
