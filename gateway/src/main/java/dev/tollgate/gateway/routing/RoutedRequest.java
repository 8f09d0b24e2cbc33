package dev.tollgate.gateway.routing;

import dev.tollgate.gateway.request.ClientApi;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.usage.Usage;

import java.util.function.Supplier;

/**
 * What the router needs of a client request.
 *
 * @param requestId       the gateway's request id
 * @param request         the parsed request
 * @param estimatedTokens rough size (prompt + completion) for backend quotas
 * @param promptUsage     the request's prompt tokens counted by the gateway, for attempts billed without a usage report
 * @param api             the API the client speaks: calls each attempt's provider (translating or passing through)
 */
public record RoutedRequest(String requestId, ModelRequest request, long estimatedTokens, Supplier<Usage> promptUsage, ClientApi api) {
}
