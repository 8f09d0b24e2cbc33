package dev.tollgate.gateway.provider.compatible;

import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.openai.OpenAiProvider;
import dev.tollgate.gateway.provider.openai.OpenAiTarget;

import java.util.List;

/**
 * Named OpenAI-compatible providers: a backend says {@code provider: groq} and gets Groq's base URL and auth header
 * without writing them. Each entry is served by {@link OpenAiProvider} under its own id.
 */
public final class ProviderCatalog {

    /** How the provider expects its key. */
    public enum Auth {
        /** {@code Authorization: Bearer <apiKey>}, a key is required. */
        BEARER,
        /** A self-hosted server: {@code Authorization: Bearer <apiKey>} only when a key is configured. */
        OPTIONAL_BEARER
    }

    /** One catalog entry. */
    public record Entry(String id, String name, String baseUrl, Auth auth) {
    }

    public static final List<Entry> ENTRIES = List.of(
            new Entry("groq", "Groq", "https://api.groq.com/openai/v1", Auth.BEARER),
            new Entry("together", "Together AI", "https://api.together.xyz/v1", Auth.BEARER),
            new Entry("fireworks", "Fireworks AI", "https://api.fireworks.ai/inference/v1", Auth.BEARER),
            new Entry("deepseek", "DeepSeek", "https://api.deepseek.com/v1", Auth.BEARER),
            new Entry("xai", "xAI (Grok)", "https://api.x.ai/v1", Auth.BEARER),
            new Entry("perplexity", "Perplexity", "https://api.perplexity.ai", Auth.BEARER),
            new Entry("openrouter", "OpenRouter", "https://openrouter.ai/api/v1", Auth.BEARER),
            new Entry("deepinfra", "DeepInfra", "https://api.deepinfra.com/v1/openai", Auth.BEARER),
            new Entry("cerebras", "Cerebras", "https://api.cerebras.ai/v1", Auth.BEARER),
            new Entry("sambanova", "SambaNova Cloud", "https://api.sambanova.ai/v1", Auth.BEARER),
            new Entry("nebius", "Nebius AI Studio", "https://api.studio.nebius.com/v1", Auth.BEARER),
            new Entry("hyperbolic", "Hyperbolic", "https://api.hyperbolic.xyz/v1", Auth.BEARER),
            new Entry("novita", "Novita AI", "https://api.novita.ai/v3/openai", Auth.BEARER),
            new Entry("moonshot", "Moonshot AI (Kimi)", "https://api.moonshot.ai/v1", Auth.BEARER),
            new Entry("dashscope", "Alibaba Cloud Model Studio (Qwen)", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", Auth.BEARER),
            new Entry("zhipu", "Zhipu AI (GLM)", "https://open.bigmodel.cn/api/paas/v4", Auth.BEARER),
            new Entry("nvidia", "NVIDIA NIM (API catalog)", "https://integrate.api.nvidia.com/v1", Auth.BEARER),
            new Entry("github", "GitHub Models", "https://models.github.ai/inference", Auth.BEARER),
            new Entry("huggingface", "Hugging Face Inference Providers", "https://router.huggingface.co/v1", Auth.BEARER),
            new Entry("featherless", "Featherless AI", "https://api.featherless.ai/v1", Auth.BEARER),
            new Entry("friendli", "FriendliAI (serverless)", "https://api.friendli.ai/serverless/v1", Auth.BEARER),
            new Entry("lambda", "Lambda Inference", "https://api.lambda.ai/v1", Auth.BEARER),
            new Entry("nscale", "Nscale", "https://inference.api.nscale.com/v1", Auth.BEARER),
            new Entry("ai21", "AI21 Labs", "https://api.ai21.com/studio/v1", Auth.BEARER),
            new Entry("siliconflow", "SiliconFlow", "https://api.siliconflow.cn/v1", Auth.BEARER),
            new Entry("minimax", "MiniMax", "https://api.minimax.io/v1", Auth.BEARER),
            new Entry("venice", "Venice AI", "https://api.venice.ai/api/v1", Auth.BEARER),
            new Entry("chutes", "Chutes", "https://llm.chutes.ai/v1", Auth.BEARER),
            new Entry("gemini-openai", "Google Gemini (OpenAI compatibility)", "https://generativelanguage.googleapis.com/v1beta/openai", Auth.BEARER),
            new Entry("vllm", "vLLM (self-hosted)", "http://localhost:8000/v1", Auth.OPTIONAL_BEARER),
            new Entry("lmstudio", "LM Studio (local)", "http://localhost:1234/v1", Auth.OPTIONAL_BEARER),
            new Entry("llamacpp", "llama.cpp server (local)", "http://localhost:8080/v1", Auth.OPTIONAL_BEARER),
            new Entry("localai", "LocalAI (self-hosted)", "http://localhost:8080/v1", Auth.OPTIONAL_BEARER),
            new Entry("tgi", "Hugging Face TGI (self-hosted)", "http://localhost:8080/v1", Auth.OPTIONAL_BEARER),
            new Entry("ollama-openai", "Ollama (OpenAI compatibility)", "http://localhost:11434/v1", Auth.OPTIONAL_BEARER),
            new Entry("litellm", "LiteLLM proxy", "http://localhost:4000/v1", Auth.OPTIONAL_BEARER));

    private ProviderCatalog() {
    }

    /** One provider per catalog entry. */
    public static List<Provider> providers(UpstreamHttp http) {
        return ENTRIES.stream().map(e -> (Provider) new OpenAiProvider(http, e.id(), OpenAiTarget.BEARER)).toList();
    }
}
