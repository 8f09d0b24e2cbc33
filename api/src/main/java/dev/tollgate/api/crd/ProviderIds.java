package dev.tollgate.api.crd;

/**
 * The provider ids a gateway of this release knows, as a CEL rule for the ModelRoute schema. An annotation needs a
 * constant, so the list is written out here; {@code ProviderSpecsTest} fails (printing the rule to paste) when it differs
 * from {@link dev.tollgate.api.provider.ProviderSpecs#ALL}.
 */
public final class ProviderIds {

    /** CEL: the field is one of the gateway's provider ids. */
    public static final String RULE = "self in ['openai', 'azure', 'anthropic', 'gemini', 'bedrock', 'cohere', 'mistral', 'ollama', 'mock', "
            + "'groq', 'together', 'fireworks', 'deepseek', 'xai', 'perplexity', 'openrouter', 'deepinfra', 'cerebras', "
            + "'sambanova', 'nebius', 'hyperbolic', 'novita', 'moonshot', 'dashscope', 'zhipu', 'nvidia', 'github', "
            + "'huggingface', 'featherless', 'friendli', 'lambda', 'nscale', 'ai21', 'siliconflow', 'minimax', 'venice', "
            + "'chutes', 'gemini-openai', 'vllm', 'lmstudio', 'llamacpp', 'localai', 'tgi', 'ollama-openai', 'litellm']";

    private ProviderIds() {
    }
}
