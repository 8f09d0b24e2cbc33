package dev.tollgate.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;

import java.util.Map;

/**
 * Attribute names of the gateway's spans: OpenTelemetry's GenAI and HTTP semantic conventions, and {@code tollgate.*}
 * for what only the gateway knows. Never request content, never key material.
 */
final class SpanAttributes {

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tollgate.request_id");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("tollgate.route");
    static final AttributeKey<String> BACKEND = AttributeKey.stringKey("tollgate.backend");
    static final AttributeKey<String> KEY_NAME = AttributeKey.stringKey("tollgate.key.name");
    static final AttributeKey<String> TEAM = AttributeKey.stringKey("tollgate.team");
    static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("tollgate.cost_usd");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("tollgate.attempts");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tollgate.attempt");
    static final AttributeKey<Boolean> FALLBACK = AttributeKey.booleanKey("tollgate.fallback");
    static final AttributeKey<String> FALLBACK_ROUTE = AttributeKey.stringKey("tollgate.fallback_route");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("tollgate.stream");
    static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("tollgate.usage.estimated");

    /** Gateway provider ids whose GenAI name differs; every other id is used as it is. */
    private static final Map<String, String> PROVIDER_NAMES = Map.of(
            "azure", "azure.ai.openai",
            "bedrock", "aws.bedrock",
            "gemini", "gcp.gemini",
            "mistral", "mistral_ai",
            "gemini-openai", "gcp.gemini",
            "xai", "x_ai",
            "groq", "groq",
            "deepseek", "deepseek",
            "perplexity", "perplexity");

    /** Endpoint labels whose GenAI operation name differs. */
    private static final Map<String, String> OPERATIONS = Map.of("completions", "text_completion");

    private SpanAttributes() {
    }

    static String providerName(String providerId) {
        return PROVIDER_NAMES.getOrDefault(providerId, providerId);
    }

    static String operation(String endpoint) {
        return OPERATIONS.getOrDefault(endpoint, endpoint);
    }
}
