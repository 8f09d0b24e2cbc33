package dev.tollgate.gateway.inbound.anthropic;

import dev.tollgate.gateway.auth.AuthFailureLimiter;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.ModelPipeline;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.usage.TokenCounter;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens} for Anthropic SDK users and coding agents:
 * the virtual key comes as {@code x-api-key} (or Bearer), the request runs through the same {@link ModelPipeline}
 * as chat completions, and every error is rendered in Anthropic's shape.
 */
public final class AnthropicMessagesHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AnthropicMessagesHandler.class);

    private final ModelPipeline pipeline;
    private final MessagesTokenCount tokenCount;
    private final GatewayMetrics metrics;
    private final AuthFailureLimiter authLimiter;

    /**
     * @param providers asked for the upstream's own token count when the route has a backend that speaks the Messages API
     */
    public AnthropicMessagesHandler(ModelPipeline pipeline, ConfigHolder config, Authenticator authenticator, TokenCounter tokens,
                                    ProviderRegistry providers, GatewayMetrics metrics, AuthFailureLimiter authLimiter) {
        this.pipeline = pipeline;
        this.tokenCount = new MessagesTokenCount(config, authenticator, tokens, providers);
        this.metrics = metrics;
        this.authLimiter = authLimiter;
    }

    public void messages(Context ctx) {
        guarded(ctx, () -> pipeline.handle(ctx, Endpoint.CHAT, new AnthropicMessagesApi(ctx.header("anthropic-beta"))));
    }

    /** Counts input tokens: Anthropic's own count for a route with an Anthropic backend, else an estimate; nothing is spent. */
    public void countTokens(Context ctx) {
        guarded(ctx, () -> {
            MessagesTokenCount.Count count = tokenCount.count(ctx);
            ctx.status(200).header("x-tollgate-token-count", count.byProvider() ? "provider" : "estimate")
                    .contentType("application/json")
                    .result(Json.bytes(Json.MAPPER.createObjectNode().put("input_tokens", count.inputTokens())));
        });
    }

    private void guarded(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (GatewayException error) {
            GatewayException e = error.status() == 401 ? authLimiter.failed(ctx.ip(), error) : error;
            metrics.rejected(e.status(), e.code());
            render(ctx, e);
        } catch (RuntimeException e) {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            render(ctx, GatewayException.internal("The gateway failed to process the request."));
        }
    }

    private static void render(Context ctx, GatewayException e) {
        if (ctx.res().isCommitted()) {
            return;
        }
        if (e instanceof UpstreamException u && u.retryAfter() != null) {
            ctx.header("retry-after", Long.toString(Math.max(1, (u.retryAfter().toMillis() + 999) / 1000)));
        }
        e.headers().forEach(ctx::header);
        ctx.status(e.status()).contentType("application/json").result(Json.bytes(MessagesResponses.error(e)));
    }
}
