package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.provider.ProviderSpec.Capability;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.pipeline.ModelPipeline;
import dev.tollgate.gateway.pipeline.RequestBodies;
import dev.tollgate.gateway.provider.CredentialScrub;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.usage.TokenCounter;
import io.javalin.http.Context;

import java.util.Comparator;
import java.util.Optional;

/**
 * {@code POST /v1/messages/count_tokens}: the input tokens of a Messages API request (no {@code max_tokens} needed),
 * after the same key and model checks as a call. A route with an Anthropic backend asks Anthropic
 * ({@code /v1/messages/count_tokens} of the backend preferred by priority); any other route, or an Anthropic backend
 * that is unreachable or failing (5xx, timeout), gets the gateway tokenizer's estimate. Which one answered is in the
 * {@code x-tollgate-token-count} header ({@code provider} or {@code estimate}). Nothing is spent or recorded.
 */
final class MessagesTokenCount {

    /** The answer: the count and whether the provider counted it. */
    record Count(long inputTokens, boolean byProvider) {
    }

    private final ConfigHolder config;
    private final Authenticator authenticator;
    private final TokenCounter tokens;
    private final ProviderRegistry providers;

    MessagesTokenCount(ConfigHolder config, Authenticator authenticator, TokenCounter tokens, ProviderRegistry providers) {
        this.config = config;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.providers = providers;
    }

    Count count(Context ctx) {
        RuntimeConfig cfg = config.current();
        AnthropicMessagesApi api = new AnthropicMessagesApi(ctx.header("anthropic-beta"), true);
        KeyPolicy key = authenticator.authenticate(cfg, ctx.header("Authorization"), api.apiKeyHeader(ctx));
        ModelRequest request = api.parse(Endpoint.CHAT, RequestBodies.read(ctx, cfg.source().gateway().maxBodyBytes()));
        RouteConfig route = ModelPipeline.authorizedRoute(cfg, key, request); // the same 404/403 as a call
        Optional<BackendConfig> backend = route.backends().stream()
                .filter(b -> ProviderSpecs.byId(b.provider()).filter(spec -> spec.can(Capability.ANTHROPIC_MESSAGES)).isPresent())
                .min(Comparator.comparingInt(BackendConfig::priority));
        if (backend.isPresent()) {
            ProviderRequest call = new ProviderRequest(ctx.res().getHeader("x-request-id"), Endpoint.CHAT, backend.get(),
                    request.body(), false, false, route.timeouts().request(), route.dropUnsupportedParams(),
                    route.timeouts().connect(), null);
            try {
                Provider counter = providers.get(backend.get().provider()).anthropicTokenCount(api.messagesBody(), ctx.header("anthropic-beta"));
                return new Count(counter.call(call).usage().promptTokens(), true);
            } catch (UpstreamException e) {
                if (!e.backendFault() || e.status() < 500) {
                    // the upstream's answer to this request (400, 413, 429), without any credential it echoed
                    throw CredentialScrub.scrub(e, backend.get());
                }
            }
        }
        return new Count(estimate(request), false);
    }

    private long estimate(ModelRequest request) {
        JsonNode tools = request.body().get("tools");
        return (long) tokens.countMessages(request.body().get("messages")) + (tools == null ? 0 : tokens.count(tools.toString()));
    }
}
