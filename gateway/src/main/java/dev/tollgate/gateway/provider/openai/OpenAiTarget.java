package dev.tollgate.gateway.provider.openai;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.provider.Endpoint;

import java.net.URI;
import java.util.Map;

/** Where an OpenAI-compatible request goes and how it authenticates (OpenAI itself, Azure, the catalog's providers). */
public interface OpenAiTarget {

    /** OpenAI's layout: {@code <baseUrl>/chat/completions} with {@code Authorization: Bearer <apiKey>} when a key is set. */
    OpenAiTarget BEARER = new OpenAiTarget() {
    };

    /** OpenAI itself: {@link #BEARER}'s layout, and the Responses API at {@code <baseUrl>/responses}. */
    OpenAiTarget OPENAI = new OpenAiTarget() {
        @Override
        public boolean servesResponses() {
            return true;
        }
    };

    /**
     * Whether this upstream serves OpenAI's Responses API ({@code POST /responses}) at {@link #responsesUri}: Responses
     * requests then pass through unchanged; else they are translated to chat completions.
     */
    default boolean servesResponses() {
        return false;
    }

    /** Where the Responses API is served when {@link #servesResponses()}: {@code <baseUrl>/responses}. */
    default URI responsesUri(BackendConfig backend) {
        return uri(backend, Endpoint.RESPONSES);
    }

    default URI uri(BackendConfig backend, Endpoint endpoint) {
        String base = backend.baseUrl().toString();
        return URI.create(base.endsWith("/") ? base + endpoint.path() : base + "/" + endpoint.path());
    }

    default void authenticate(BackendConfig backend, Map<String, String> headers) {
        if (backend.apiKey() != null && !backend.apiKey().isEmpty()) {
            headers.put("authorization", "Bearer " + backend.apiKey());
        }
    }
}
