package dev.tollgate.api.provider;

import dev.tollgate.api.provider.ProviderSpec.Auth;
import dev.tollgate.api.provider.ProviderSpec.Capability;
import dev.tollgate.api.provider.ProviderSpec.Family;
import dev.tollgate.api.provider.ProviderSpec.RequiredField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every provider a gateway of this release knows. Config validation (ids, default base URLs, required fields) reads
 * this list; the gateway builds one translator per entry; the ModelRoute CRD's rule on a backend's provider is built
 * from it ({@code ProviderIds}), and a test checks that docs/providers.md lists exactly these.
 */
public final class ProviderSpecs {

    /** What an OpenAI-compatible upstream serves. */
    private static final Set<Capability> OPENAI_CAPABILITIES = Set.of(Capability.CHAT, Capability.COMPLETIONS, Capability.EMBEDDINGS,
            Capability.STREAM);

    /** What a native translator serves: chat, whole or streamed. */
    private static final Set<Capability> CHAT_ONLY = Set.of(Capability.CHAT, Capability.STREAM);

    public static final ProviderSpec OPENAI = new ProviderSpec("openai", "OpenAI", "https://api.openai.com/v1", List.of(),
            OPENAI_CAPABILITIES, Auth.BEARER, Family.NATIVE);
    public static final ProviderSpec AZURE = new ProviderSpec("azure", "Azure OpenAI", null,
            List.of(new RequiredField("apiVersion", "e.g. 2024-10-21")), OPENAI_CAPABILITIES, Auth.API_KEY_HEADER, Family.NATIVE);
    public static final ProviderSpec ANTHROPIC = new ProviderSpec("anthropic", "Anthropic", "https://api.anthropic.com", List.of(),
            Set.of(Capability.CHAT, Capability.STREAM, Capability.ANTHROPIC_MESSAGES), Auth.X_API_KEY, Family.NATIVE);
    public static final ProviderSpec GEMINI = new ProviderSpec("gemini", "Google Gemini", "https://generativelanguage.googleapis.com",
            List.of(), CHAT_ONLY, Auth.GOOG_API_KEY, Family.NATIVE);
    public static final ProviderSpec BEDROCK = new ProviderSpec("bedrock", "Amazon Bedrock", "https://bedrock-runtime.{region}.amazonaws.com",
            List.of(new RequiredField("aws", "accessKeyId and secretAccessKey")), CHAT_ONLY, Auth.AWS_SIGV4, Family.NATIVE);
    public static final ProviderSpec COHERE = new ProviderSpec("cohere", "Cohere", "https://api.cohere.com", List.of(), CHAT_ONLY,
            Auth.BEARER, Family.NATIVE);
    public static final ProviderSpec MISTRAL = new ProviderSpec("mistral", "Mistral AI", "https://api.mistral.ai/v1", List.of(), CHAT_ONLY,
            Auth.BEARER, Family.NATIVE);
    public static final ProviderSpec OLLAMA = new ProviderSpec("ollama", "Ollama", "http://localhost:11434", List.of(), CHAT_ONLY,
            Auth.OPTIONAL_BEARER, Family.NATIVE);
    public static final ProviderSpec MOCK = new ProviderSpec("mock", "Built-in mock", null, List.of(),
            Set.of(Capability.CHAT, Capability.COMPLETIONS, Capability.EMBEDDINGS, Capability.STREAM), Auth.NONE, Family.IN_PROCESS);

    /** Providers with a translator of their own. */
    public static final List<ProviderSpec> NATIVE = List.of(OPENAI, AZURE, ANTHROPIC, GEMINI, BEDROCK, COHERE, MISTRAL, OLLAMA, MOCK);

    /** OpenAI-compatible upstreams: a backend says {@code provider: groq} and gets Groq's base URL and auth header. */
    public static final List<ProviderSpec> CATALOG = List.of(
            compatible("groq", "Groq", "https://api.groq.com/openai/v1", Auth.BEARER),
            compatible("together", "Together AI", "https://api.together.xyz/v1", Auth.BEARER),
            compatible("fireworks", "Fireworks AI", "https://api.fireworks.ai/inference/v1", Auth.BEARER),
            compatible("deepseek", "DeepSeek", "https://api.deepseek.com/v1", Auth.BEARER),
            compatible("xai", "xAI (Grok)", "https://api.x.ai/v1", Auth.BEARER),
            compatible("perplexity", "Perplexity", "https://api.perplexity.ai", Auth.BEARER),
            compatible("openrouter", "OpenRouter", "https://openrouter.ai/api/v1", Auth.BEARER),
            compatible("deepinfra", "DeepInfra", "https://api.deepinfra.com/v1/openai", Auth.BEARER),
            compatible("cerebras", "Cerebras", "https://api.cerebras.ai/v1", Auth.BEARER),
            compatible("sambanova", "SambaNova Cloud", "https://api.sambanova.ai/v1", Auth.BEARER),
            compatible("nebius", "Nebius AI Studio", "https://api.studio.nebius.com/v1", Auth.BEARER),
            compatible("hyperbolic", "Hyperbolic", "https://api.hyperbolic.xyz/v1", Auth.BEARER),
            compatible("novita", "Novita AI", "https://api.novita.ai/v3/openai", Auth.BEARER),
            compatible("moonshot", "Moonshot AI (Kimi)", "https://api.moonshot.ai/v1", Auth.BEARER),
            compatible("dashscope", "Alibaba Cloud Model Studio (Qwen)", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", Auth.BEARER),
            compatible("zhipu", "Zhipu AI (GLM)", "https://open.bigmodel.cn/api/paas/v4", Auth.BEARER),
            compatible("nvidia", "NVIDIA NIM (API catalog)", "https://integrate.api.nvidia.com/v1", Auth.BEARER),
            compatible("github", "GitHub Models", "https://models.github.ai/inference", Auth.BEARER),
            compatible("huggingface", "Hugging Face Inference Providers", "https://router.huggingface.co/v1", Auth.BEARER),
            compatible("featherless", "Featherless AI", "https://api.featherless.ai/v1", Auth.BEARER),
            compatible("friendli", "FriendliAI (serverless)", "https://api.friendli.ai/serverless/v1", Auth.BEARER),
            compatible("lambda", "Lambda Inference", "https://api.lambda.ai/v1", Auth.BEARER),
            compatible("nscale", "Nscale", "https://inference.api.nscale.com/v1", Auth.BEARER),
            compatible("ai21", "AI21 Labs", "https://api.ai21.com/studio/v1", Auth.BEARER),
            compatible("siliconflow", "SiliconFlow", "https://api.siliconflow.cn/v1", Auth.BEARER),
            compatible("minimax", "MiniMax", "https://api.minimax.io/v1", Auth.BEARER),
            compatible("venice", "Venice AI", "https://api.venice.ai/api/v1", Auth.BEARER),
            compatible("chutes", "Chutes", "https://llm.chutes.ai/v1", Auth.BEARER),
            compatible("gemini-openai", "Google Gemini (OpenAI compatibility)", "https://generativelanguage.googleapis.com/v1beta/openai", Auth.BEARER),
            compatible("vllm", "vLLM (self-hosted)", "http://localhost:8000/v1", Auth.OPTIONAL_BEARER),
            compatible("lmstudio", "LM Studio (local)", "http://localhost:1234/v1", Auth.OPTIONAL_BEARER),
            compatible("llamacpp", "llama.cpp server (local)", "http://localhost:8080/v1", Auth.OPTIONAL_BEARER),
            compatible("localai", "LocalAI (self-hosted)", "http://localhost:8080/v1", Auth.OPTIONAL_BEARER),
            compatible("tgi", "Hugging Face TGI (self-hosted)", "http://localhost:8080/v1", Auth.OPTIONAL_BEARER),
            compatible("ollama-openai", "Ollama (OpenAI compatibility)", "http://localhost:11434/v1", Auth.OPTIONAL_BEARER),
            compatible("litellm", "LiteLLM proxy", "http://localhost:4000/v1", Auth.OPTIONAL_BEARER));

    /** Every provider: the native ones, then the catalog. */
    public static final List<ProviderSpec> ALL = all();

    private static final Map<String, ProviderSpec> BY_ID = byId();

    private ProviderSpecs() {
    }

    public static Optional<ProviderSpec> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    private static ProviderSpec compatible(String id, String name, String baseUrl, Auth auth) {
        return new ProviderSpec(id, name, baseUrl, List.of(), OPENAI_CAPABILITIES, auth, Family.OPENAI_COMPATIBLE);
    }

    private static List<ProviderSpec> all() {
        List<ProviderSpec> all = new ArrayList<>(NATIVE);
        all.addAll(CATALOG);
        return List.copyOf(all);
    }

    private static Map<String, ProviderSpec> byId() {
        Map<String, ProviderSpec> map = new LinkedHashMap<>();
        for (ProviderSpec spec : ALL) {
            if (map.put(spec.id(), spec) != null) {
                throw new IllegalStateException("two provider specs with id " + spec.id());
            }
        }
        return Map.copyOf(map);
    }
}
