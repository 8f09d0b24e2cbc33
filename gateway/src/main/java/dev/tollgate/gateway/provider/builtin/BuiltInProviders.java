package dev.tollgate.gateway.provider.builtin;

import dev.tollgate.api.provider.ProviderSpec;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.UpstreamShell;
import dev.tollgate.gateway.provider.anthropic.AnthropicTranslator;
import dev.tollgate.gateway.provider.azure.AzureOpenAiTarget;
import dev.tollgate.gateway.provider.bedrock.BedrockTranslator;
import dev.tollgate.gateway.provider.cohere.CohereTranslator;
import dev.tollgate.gateway.provider.gemini.GeminiTranslator;
import dev.tollgate.gateway.provider.mistral.MistralTranslator;
import dev.tollgate.gateway.provider.mock.MockProvider;
import dev.tollgate.gateway.provider.ollama.OllamaTranslator;
import dev.tollgate.gateway.provider.openai.OpenAiTarget;
import dev.tollgate.gateway.provider.openai.OpenAiTranslator;
import dev.tollgate.gateway.usage.TokenCounter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every provider of {@link ProviderSpecs#ALL}, built: a native spec by its entry below (its translator in the shared
 * {@link UpstreamShell}, or the in-process mock), an OpenAI-compatible catalog spec by the OpenAI translator at its own
 * base URL. The one place that pairs specs with implementations; a spec
 * without one stops the gateway at start.
 */
public final class BuiltInProviders {

    /** What a native provider is built from: the shared upstream client and the token counter (for the mock). */
    private static final Map<ProviderSpec, BiFunction<UpstreamHttp, TokenCounter, Provider>> NATIVE = Map.of(
            ProviderSpecs.OPENAI, (http, tokens) -> shell(ProviderSpecs.OPENAI, http, new OpenAiTranslator(OpenAiTarget.BEARER)),
            ProviderSpecs.AZURE, (http, tokens) -> shell(ProviderSpecs.AZURE, http, new OpenAiTranslator(new AzureOpenAiTarget())),
            ProviderSpecs.ANTHROPIC, (http, tokens) -> shell(ProviderSpecs.ANTHROPIC, http, new AnthropicTranslator()),
            ProviderSpecs.GEMINI, (http, tokens) -> shell(ProviderSpecs.GEMINI, http, new GeminiTranslator()),
            ProviderSpecs.BEDROCK, (http, tokens) -> shell(ProviderSpecs.BEDROCK, http, new BedrockTranslator(Clock.systemUTC())),
            ProviderSpecs.COHERE, (http, tokens) -> shell(ProviderSpecs.COHERE, http, new CohereTranslator()),
            ProviderSpecs.MISTRAL, (http, tokens) -> shell(ProviderSpecs.MISTRAL, http, new MistralTranslator()),
            ProviderSpecs.OLLAMA, (http, tokens) -> shell(ProviderSpecs.OLLAMA, http, new OllamaTranslator()),
            ProviderSpecs.MOCK, (http, tokens) -> new MockProvider(tokens));

    private BuiltInProviders() {
    }

    /** One provider per spec of {@link ProviderSpecs#ALL}. */
    public static ProviderRegistry registry(UpstreamHttp http, TokenCounter tokens) {
        List<Provider> providers = new ArrayList<>();
        for (ProviderSpec spec : ProviderSpecs.ALL) {
            Provider provider = switch (spec.family()) {
                case OPENAI_COMPATIBLE -> shell(spec, http, new OpenAiTranslator(OpenAiTarget.BEARER));
                case NATIVE, IN_PROCESS -> {
                    BiFunction<UpstreamHttp, TokenCounter, Provider> create = NATIVE.get(spec);
                    if (create == null) {
                        throw new IllegalStateException("provider spec '" + spec.id() + "' has no implementation in BuiltInProviders");
                    }
                    yield create.apply(http, tokens);
                }
            };
            if (!provider.id().equals(spec.id())) {
                throw new IllegalStateException("provider spec '" + spec.id() + "' is served by a provider with id '" + provider.id() + "'");
            }
            providers.add(provider);
        }
        return new ProviderRegistry(providers);
    }

    private static Provider shell(ProviderSpec spec, UpstreamHttp http, Translator translator) {
        return new UpstreamShell(spec.id(), http, translator);
    }
}
