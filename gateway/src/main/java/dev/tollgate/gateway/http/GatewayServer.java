package dev.tollgate.gateway.http;

import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.gateway.auth.AuthFailureLimiter;
import dev.tollgate.gateway.dashboard.DashboardAssets;
import dev.tollgate.gateway.error.ClientFaults;
import dev.tollgate.gateway.error.ErrorBodies;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.inbound.anthropic.AnthropicMessagesHandler;
import dev.tollgate.gateway.inbound.responses.ResponsesApi;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.ModelPipeline;
import dev.tollgate.gateway.pipeline.RequestIds;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.UpstreamException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the HTTP server in one place: every route and error handler is listed here. Model endpoints are served
 * with and without the {@code /v1} prefix. {@code /admin/*} always needs the admin key; {@code /metrics} needs it too
 * unless it is on the management port. Every response carries {@code x-request-id}; every error is OpenAI's
 * JSON error body.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final Javalin app;
    private volatile ServerConnector managementConnector;

    /**
     * @param host        bind address
     * @param port        port, 0 for any free one
     * @param pipeline    model requests
     * @param messages    the Anthropic Messages API ({@code /v1/messages} and its {@code count_tokens})
     * @param models      the models list
     * @param keyInfo     a virtual key's view of itself ({@code GET /v1/key/info})
     * @param admin       admin endpoints
     * @param metrics     metrics registry (scraped at /metrics)
     * @param readiness   what /health/readiness answers
     * @param security    input limits, timeouts, shutdown grace and the optional management port (see {@link ServerHardening})
     * @param authLimiter answers an address's failing authentications with 429 once it has failed too often
     */
    public GatewayServer(String host, int port, ModelPipeline pipeline, AnthropicMessagesHandler messages, ModelsHandler models,
                         KeyInfoHandler keyInfo, AdminHandlers admin, GatewayMetrics metrics, Readiness readiness, SecuritySettings security, AuthFailureLimiter authLimiter) {
        this.app = Javalin.create(config -> {
            ServerHardening.apply(config, host, port, security, metrics.registry(), connector -> managementConnector = connector);
            config.routes.before(ctx -> {
                String path = RequestPaths.canonical(ctx.path());
                ServerHardening.checkRequest(ctx, path, security, managementConnector);
                if (RequestPaths.isAdmin(path)) {
                    admin.requireAdmin(ctx); // every method: HEAD on a GET route was answered 200 without running it
                } else if (RequestPaths.isMetrics(path) && managementConnector == null) {
                    admin.requireAdmin(ctx); // on the API port metrics (key and team names, spend) are the admin's only
                }
            });
            config.concurrency.useVirtualThreads = true; // Javalin's own executors; Jetty's pool: ServerHardening
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = Long.MAX_VALUE; // RequestBodies enforces the configured limit itself
            config.startup.showJavalinBanner = false;
            config.router.ignoreTrailingSlashes = true;

            for (String prefix : new String[] {"/v1", ""}) {
                config.routes.post(prefix + "/chat/completions", ctx -> pipeline.handle(ctx, Endpoint.CHAT));
                config.routes.post(prefix + "/completions", ctx -> pipeline.handle(ctx, Endpoint.COMPLETIONS));
                config.routes.post(prefix + "/embeddings", ctx -> pipeline.handle(ctx, Endpoint.EMBEDDINGS));
                config.routes.post(prefix + "/responses", ctx -> pipeline.handle(ctx, Endpoint.RESPONSES, new ResponsesApi()));
                config.routes.get(prefix + "/models", models::list);
                config.routes.get(prefix + "/key/info", keyInfo::info);
            }
            config.routes.post("/v1/messages", messages::messages);
            config.routes.post("/v1/messages/count_tokens", messages::countTokens);
            config.routes.before(ctx -> ctx.header("x-request-id", RequestIds.next()));
            config.routes.get("/health/liveness", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            config.routes.get("/health/readiness", ctx -> {
                Readiness.Answer answer = readiness.answer();
                ctx.status(answer.status()).contentType("application/json").result(answer.body());
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            config.routes.get("/admin/spend", admin::spend);
            config.routes.get("/admin/requests", admin::requests);
            config.routes.get("/admin/budgets", admin::budgets);
            DashboardAssets dashboard = DashboardAssets.fromClasspath(); // the page only; its data comes from /admin
            config.routes.get("/ui", dashboard::index);
            config.routes.get("/ui/{file}", dashboard::file);

            config.routes.exception(GatewayException.class, (error, ctx) -> {
                GatewayException e = error.status() == 401 ? authLimiter.failed(ctx.ip(), error) : error;
                metrics.rejected(e.status(), e.code());
                render(ctx, e);
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                GatewayException clientFault = ClientFaults.of(e);
                if (clientFault != null) {
                    metrics.rejected(clientFault.status(), clientFault.code());
                    render(ctx, clientFault);
                    return;
                }
                LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                render(ctx, GatewayException.internal("The gateway failed to process the request."));
            });
            config.routes.error(404, jsonError(GatewayException.notFound("Unknown path.")));
            config.routes.error(405, jsonError(GatewayException.methodNotAllowed("Method not allowed on this path.")));
        });
    }

    private static Handler jsonError(GatewayException e) {
        return ctx -> {
            // an error body already rendered (OpenAI's, or Anthropic's for /v1/messages) stays
            if (ctx.result() == null || !(ctx.result().startsWith("{\"error\"") || ctx.result().startsWith("{\"type\":\"error\""))) {
                String msg = e.status() == 404 ? "Unknown path: " + ctx.method() + " " + ctx.path() + "." : "Method " + ctx.method() + " is not allowed on " + ctx.path() + ".";
                render(ctx, new GatewayException(e.status(), e.type(), e.code(), null, msg));
            }
        };
    }

    static void render(Context ctx, GatewayException e) {
        if (ctx.res().isCommitted()) {
            return;
        }
        if (e instanceof UpstreamException u && u.retryAfter() != null) {
            ctx.header("retry-after", Long.toString(Math.max(1, (u.retryAfter().toMillis() + 999) / 1000)));
        }
        e.headers().forEach(ctx::header);
        ctx.status(e.status()).contentType("application/json").result(ErrorBodies.toBytes(e));
    }

    public GatewayServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** The management port (admin and metrics), or the API port when none is configured. */
    public int managementPort() {
        ServerConnector c = managementConnector;
        return c == null ? port() : c.getLocalPort();
    }

    @Override
    public void close() {
        app.stop();
    }
}
