package dev.tollgate.api.provider;

import java.util.List;
import java.util.Set;

/**
 * What the configuration, the CRDs and the docs need to know about one provider, with no behaviour: its id, where it
 * lives by default, which backend fields it needs, what it can serve and how it authenticates. The gateway pairs each
 * spec with a translator; {@link ProviderSpecs#ALL} is the one list every other list is derived from or checked
 * against.
 *
 * @param id             the backend's {@code provider} value, e.g. {@code anthropic}
 * @param name           human name, e.g. {@code Anthropic}
 * @param defaultBaseUrl base URL for a backend that gives none ({@code {region}} is the backend's region), or null
 *                       when the backend must give one (or, in process, needs none)
 * @param required       backend fields the provider cannot work without, beyond provider and model
 * @param capabilities   what it serves
 * @param auth           how the backend's key reaches the upstream
 * @param family         which wire format it speaks: its own, or OpenAI's (served by the OpenAI translator)
 */
public record ProviderSpec(String id, String name, String defaultBaseUrl, List<RequiredField> required,
                           Set<Capability> capabilities, Auth auth, Family family) {

    public ProviderSpec {
        required = List.copyOf(required);
        capabilities = Set.copyOf(capabilities);
    }

    /** A backend field the provider needs; {@code hint} ends the error that names it, e.g. {@code e.g. 2024-10-21}. */
    public record RequiredField(String field, String hint) {
    }

    /** What a provider serves. */
    public enum Capability {
        /** {@code /v1/chat/completions} */
        CHAT,
        /** the legacy {@code /v1/completions} */
        COMPLETIONS,
        /** {@code /v1/embeddings} */
        EMBEDDINGS,
        /** streamed answers */
        STREAM,
        /** a client's own Anthropic Messages request passed through unchanged */
        ANTHROPIC_MESSAGES
    }

    /** How the backend's {@code apiKey} (or credentials) reach the upstream. */
    public enum Auth {
        /** {@code Authorization: Bearer <apiKey>}; a hosted service, a key is expected */
        BEARER,
        /** {@code Authorization: Bearer <apiKey>} only when a key is configured (self-hosted servers) */
        OPTIONAL_BEARER,
        /** Azure's {@code api-key} header */
        API_KEY_HEADER,
        /** Anthropic's {@code x-api-key} header */
        X_API_KEY,
        /** Google's {@code x-goog-api-key} header */
        GOOG_API_KEY,
        /** AWS Signature Version 4 from the backend's {@code aws} credentials */
        AWS_SIGV4,
        /** no upstream, no key */
        NONE
    }

    /** Which wire format a provider speaks. */
    public enum Family {
        /** its own format, with its own translator */
        NATIVE,
        /** OpenAI's, at a default base URL of its own: an entry of the OpenAI-compatible catalog */
        OPENAI_COMPATIBLE,
        /** answered inside the gateway, no upstream */
        IN_PROCESS
    }

    /** Whether a backend of this provider must give {@code baseUrl}: it calls an upstream that has no default. */
    public boolean needsBaseUrl() {
        return family != Family.IN_PROCESS && defaultBaseUrl == null;
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }
}
