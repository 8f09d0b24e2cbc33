package dev.tollgate.gateway.pipeline;

import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.gateway.attribution.RequestAttribution;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.error.ClientFaults;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.limits.AdmissionControl;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.recording.CallRecord;
import dev.tollgate.gateway.recording.CallRecorder;
import dev.tollgate.gateway.request.ClientApi;
import dev.tollgate.gateway.request.ClientStream;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.routing.RouteExecutor;
import dev.tollgate.gateway.routing.RouteTrace;
import dev.tollgate.gateway.routing.RoutedRequest;
import dev.tollgate.gateway.tracing.RequestTracer;
import dev.tollgate.gateway.usage.TokenCounter;
import dev.tollgate.gateway.usage.Usage;
import io.javalin.http.Context;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The request pipeline for model calls, one stage after another: authenticate → parse → authorize → limit → route →
 * provider → usage, then {@link CallRecorder} records the call (ledger, budgets, metrics, content). Each stage is a
 * small class; this one only puts them in order.
 */
public final class ModelPipeline {

    private final ConfigHolder config;
    private final Authenticator authenticator;
    private final AdmissionControl admissionControl;
    private final RouteExecutor router;
    private final TokenCounter tokens;
    private final CallRecorder recorder;
    private final Clock clock;
    private final StreamKeepAlive keepAlive;
    private final RequestTracer tracer;

    /**
     * @param keepAlive notices streaming clients that went away while their upstream is silent
     * @param tracer    spans of each authenticated request and its upstream attempts ({@link RequestTracer#OFF}: none)
     */
    public ModelPipeline(ConfigHolder config, Authenticator authenticator, AdmissionControl admissionControl, RouteExecutor router,
                         TokenCounter tokens, CallRecorder recorder, Clock clock, StreamKeepAlive keepAlive,
                         RequestTracer tracer) {
        this.tracer = tracer;
        this.config = config;
        this.authenticator = authenticator;
        this.admissionControl = admissionControl;
        this.router = router;
        this.tokens = tokens;
        this.recorder = recorder;
        this.clock = clock;
        this.keepAlive = keepAlive;
    }

    public void handle(Context ctx, Endpoint endpoint) {
        handle(ctx, endpoint, ClientApi.OPENAI);
    }

    /** Serves a model request of a client speaking {@code api}: same stages, the client's wire format. */
    public void handle(Context ctx, Endpoint endpoint, ClientApi api) {
        String requestId = ctx.res().getHeader("x-request-id");
        if (requestId == null) {
            requestId = RequestIds.next();
            ctx.header("x-request-id", requestId);
        }
        RuntimeConfig cfg = config.current();
        KeyPolicy key = authenticator.authenticate(cfg, ctx.header("Authorization"), api.apiKeyHeader(ctx));
        CallRecord call = new CallRecord(requestId, endpoint, clock.instant(), System.nanoTime(), key,
                new RouteTrace(tracer.start(endpoint.label(), ctx::header)));
        byte[] answer = null;
        BigDecimal cost;
        try {
            byte[] body = RequestBodies.read(ctx, cfg.source().gateway().maxBodyBytes());
            ModelRequest request = api.parse(endpoint, body);
            call.request(request);
            call.attribution(RequestAttribution.ofRequest(ctx, request.body()));
            RouteConfig route = authorizedRoute(cfg, key, request);
            call.route(route.model());
            call.admitted(admissionControl.admit(key, cfg, request, route));
            call.admission().headers().forEach(ctx::header);
            RoutedRequest routed = new RoutedRequest(requestId, request,
                    body.length / 4L + request.completionTokenCeiling(0), () -> estimate(request, ""), api);
            if (request.stream()) {
                stream(ctx, call, cfg, route, routed);
            } else {
                answer = complete(ctx, call, cfg, route, routed);
            }
        } catch (GatewayException e) {
            call.failed(e);
            if (!ctx.res().isCommitted()) {
                call.trace().headers().forEach(ctx::header);
            }
            throw e;
        } catch (RuntimeException e) {
            GatewayException clientFault = ClientFaults.of(e);
            if (clientFault != null) {
                call.failed(clientFault); // rendered by the server's handler as this same error
            }
            throw e;
        } finally {
            cost = recorder.record(call); // closes the request's span too
        }
        if (answer != null) {
            // the sum of the request's ledger rows, earlier billed attempts included
            ctx.header("x-tollgate-cost-usd", cost.toPlainString());
            writeBody(ctx, answer); // after recording: the next request of this client sees this one's spend and slot
        }
    }

    /**
     * Writes a whole response body straight to the servlet stream, with its length. Javalin's {@code ctx.result}
     * would copy it through a new 32 KiB buffer per response, 16 % of all allocation under load.
     */
    private static void writeBody(Context ctx, byte[] body) {
        ctx.res().setContentLength(body.length);
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException e) {
            // the client has gone; the call is already recorded as answered, as the upstream billed it
        }
    }

    /** The route of the requested model, if there is one and the key may use it (404 and 403 otherwise). */
    public static RouteConfig authorizedRoute(RuntimeConfig cfg, KeyPolicy key, ModelRequest request) {
        RouteConfig route = cfg.route(request.model());
        if (route == null) {
            throw GatewayException.modelNotFound(request.model());
        }
        if (!key.allows(route.model())) {
            throw GatewayException.permissionDenied("This API key is not allowed to use the model '" + request.model() + "'.");
        }
        return route;
    }

    /** Calls the route and sets the answer's status and headers; returns its body, written once the call is recorded. */
    private byte[] complete(Context ctx, CallRecord call, RuntimeConfig cfg, RouteConfig route, RoutedRequest routed) {
        ProviderResponse response = router.complete(cfg, route, routed, call.trace());
        call.responseText(() -> response.text() != null ? response.text() : new String(response.body(), StandardCharsets.UTF_8));
        call.answered(response.usage() != null ? response.usage() : estimate(routed.request(), response.text()));
        call.trace().headers().forEach(ctx::header);
        ctx.status(200).contentType("application/json");
        return response.body();
    }

    private void stream(Context ctx, CallRecord call, RuntimeConfig cfg, RouteConfig route, RoutedRequest routed) {
        ModelRequest request = routed.request();
        ClientStream sse = routed.api().openStream(ctx.res());
        Runnable unwatch = keepAlive.watch(sse, call.trace()::clientGone);
        try {
            StreamResult result = router.stream(cfg, route, routed, call.trace(), sse, () -> call.trace().headers().forEach(ctx::header));
            call.answered(result.usage() != null ? result.usage() : estimate(request, sse.text()));
            sse.done();
        } catch (GatewayException e) {
            if (!sse.started()) {
                throw e;
            }
            call.streamFailed(e, estimate(request, sse.text()));
            sse.fail(e);
        } catch (IOException e) {
            call.clientDisconnected(estimate(request, sse.text()));
        } finally {
            unwatch.run();
            call.firstByteAt(sse.firstByteNanos());
            call.responseText(sse::text);
        }
    }

    private Usage estimate(ModelRequest request, String completionText) {
        long prompt = switch (request.endpoint()) {
            case CHAT, RESPONSES -> tokens.countMessages(request.body().get("messages"));
            case COMPLETIONS -> tokens.countContent(request.body().get("prompt"));
            case EMBEDDINGS -> tokens.countContent(request.body().get("input"));
        };
        return new Usage(prompt, tokens.count(completionText), 0, 0, true);
    }
}
