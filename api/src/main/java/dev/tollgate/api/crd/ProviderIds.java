package dev.tollgate.api.crd;

/**
 * The provider ids a gateway of this release knows (see {@code docs/providers.md}), as a CEL rule for the ModelRoute
 * schema. The operator's tests check this list equals the gateway's {@code Gateway.PROVIDERS}.
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
