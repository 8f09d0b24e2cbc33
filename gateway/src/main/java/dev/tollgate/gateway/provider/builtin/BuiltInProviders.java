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
import java.util.function.Supplier;

/**
 * Every provider of {@link ProviderSpecs#ALL}, built: a native spec's translator (below) or, for an OpenAI-compatible
 * catalog spec, the OpenAI translator at its own base URL, each in the shared {@link UpstreamShell}; the mock answers in
 * process. The one place that pairs specs with implementations; a spec without one stops the gateway at start.
 */
public final class BuiltInProviders {

    /** The translator of each native spec that calls an upstream. */
    private static final Map<ProviderSpec, Supplier<Translator>> NATIVE = Map.of(
            ProviderSpecs.OPENAI, () -> new OpenAiTranslator(OpenAiTarget.OPENAI),
            ProviderSpecs.AZURE, () -> new OpenAiTranslator(new AzureOpenAiTarget()),
            ProviderSpecs.ANTHROPIC, AnthropicTranslator::new,
            ProviderSpecs.GEMINI, GeminiTranslator::new,
            ProviderSpecs.BEDROCK, () -> new BedrockTranslator(Clock.systemUTC()),
            ProviderSpecs.COHERE, CohereTranslator::new,
            ProviderSpecs.MISTRAL, MistralTranslator::new,
            ProviderSpecs.OLLAMA, OllamaTranslator::new);

    private BuiltInProviders() {
    }

    /** One provider per spec of {@link ProviderSpecs#ALL}. */
    public static ProviderRegistry registry(UpstreamHttp http, TokenCounter tokens) {
        List<Provider> providers = new ArrayList<>();
        for (ProviderSpec spec : ProviderSpecs.ALL) {
            providers.add(switch (spec.family()) {
                case IN_PROCESS -> new MockProvider(tokens);
                case NATIVE, OPENAI_COMPATIBLE -> new UpstreamShell(spec.id(), http, translator(spec));
            });
        }
        ProviderRegistry registry = new ProviderRegistry(providers);
        ProviderSpecs.ALL.forEach(spec -> registry.get(spec.id())); // each spec's provider answers to its id
        return registry;
    }

    /** The translator of a spec that calls an upstream. */
    public static Translator translator(ProviderSpec spec) {
        if (spec.family() == ProviderSpec.Family.OPENAI_COMPATIBLE) {
            return new OpenAiTranslator(OpenAiTarget.BEARER);
        }
        Supplier<Translator> create = NATIVE.get(spec);
        if (create == null) {
            throw new IllegalStateException("provider spec '" + spec.id() + "' has no translator in BuiltInProviders");
        }
        return create.get();
    }
}
