package dev.tollgate.gateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS Bedrock Converse ({@code POST /model/<id>/converse}) and ConverseStream ({@code /converse-stream}, a binary
 * {@code application/vnd.amazon.eventstream}), signed with SigV4 by the AWS SDK's signer using the backend's credentials.
 */
public final class BedrockTranslator implements Translator {

    private final BedrockSigner signer;

    /** @param clock the signature's time (SigV4 signs the request date) */
    public BedrockTranslator(Clock clock) {
        this.signer = new BedrockSigner(clock);
    }

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        byte[] body = Json.bytes(BedrockRequests.translate(request));
        URI uri = uri(request.backend(), request.stream() ? "converse-stream" : "converse");
        return new UpstreamRequest(uri, headers(request, uri, body, request.stream() ? "application/vnd.amazon.eventstream" : "application/json"), body);
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return BedrockResponses.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers),
                headers.firstValue("x-amzn-ErrorType").orElse(null), body);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode json = JsonAnswer.object(backend.name(), body);
        StringBuilder text = new StringBuilder();
        List<OpenAiChat.ToolCall> calls = new ArrayList<>();
        for (JsonNode block : json.path("output").path("message").path("content")) {
            if (block.has("text")) {
                text.append(block.get("text").asText());
            } else if (block.has("toolUse")) {
                JsonNode use = block.get("toolUse");
                calls.add(new OpenAiChat.ToolCall(use.path("toolUseId").asText(), use.path("name").asText(), OpenAiChat.arguments(use.get("input"))));
            }
        }
        Usage usage = BedrockResponses.usage(json.get("usage"));
        OpenAiChat.Choice choice = new OpenAiChat.Choice(0, text.toString(), calls, BedrockResponses.finishReason(json.path("stopReason").asText(null)));
        return OpenAiChat.answer(id(request, headers), backend.model(), System.currentTimeMillis() / 1000, List.of(choice), usage);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        return relay(backend.name(), body, new ChunkEmitter(sink, id(request, headers), backend.model(), request.clientWantsUsage()));
    }

    /** Bedrock's request id names the answer, as OpenAI's id does. */
    private static String id(ProviderRequest request, ResponseHeaders headers) {
        String id = headers.first("x-amzn-RequestId");
        return id != null ? id : "chatcmpl-" + request.requestId();
    }

    /** Decodes event-stream frames as they arrive; {@code :event-type} names the event, the payload is its JSON. */
    private static StreamResult relay(String backend, InputStream in, ChunkEmitter out) throws IOException {
        ArrayDeque<Message> decoded = new ArrayDeque<>();
        MessageDecoder decoder = new MessageDecoder(decoded::add);
        Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        String stopReason = null;
        byte[] buffer = new byte[8192];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "the stream broke off");
            }
            if (n < 0) {
                throw UpstreamException.badResponse(backend, "the stream ended without metadata");
            }
            try {
                decoder.feed(buffer, 0, n);
            } catch (RuntimeException e) {
                throw UpstreamException.badResponse(backend, "an event-stream frame is invalid");
            }
            while (!decoded.isEmpty()) {
                Message message = decoded.poll();
                String messageType = header(message, ":message-type");
                if (!"event".equals(messageType)) {
                    String type = "exception".equals(messageType) ? header(message, ":exception-type") : header(message, ":error-code");
                    throw BedrockResponses.error(backend, "throttlingException".equals(type) ? 429 : 500, null, type, message.getPayload());
                }
                JsonNode event = Json.MAPPER.readTree(message.getPayload());
                switch (String.valueOf(header(message, ":event-type"))) {
                    case "messageStart" -> out.role();
                    case "contentBlockStart" -> {
                        JsonNode use = event.path("start").path("toolUse");
                        if (!use.isMissingNode()) {
                            toolIndexByBlock.put(event.path("contentBlockIndex").asInt(),
                                    out.toolCallStart(use.path("toolUseId").asText(), use.path("name").asText(), ""));
                        }
                    }
                    case "contentBlockDelta" -> {
                        JsonNode delta = event.path("delta");
                        if (delta.has("text")) {
                            out.text(delta.get("text").asText());
                        } else if (delta.has("toolUse")) {
                            Integer index = toolIndexByBlock.get(event.path("contentBlockIndex").asInt());
                            if (index != null) {
                                out.toolCallArguments(index, delta.path("toolUse").path("input").asText());
                            }
                        }
                    }
                    case "messageStop" -> {
                        stopReason = event.path("stopReason").asText(null);
                        out.finish(BedrockResponses.finishReason(stopReason));
                    }
                    case "metadata" -> {
                        Usage usage = BedrockResponses.usage(event.get("usage"));
                        out.finish(BedrockResponses.finishReason(stopReason));
                        out.usage(usage);
                        return new StreamResult(usage);
                    }
                    default -> {
                        // contentBlockStop and future events
                    }
                }
            }
        }
    }

    private static String header(Message message, String name) {
        HeaderValue v = message.getHeaders().get(name);
        return v == null ? null : v.getString();
    }

    private static URI uri(BackendConfig backend, String operation) {
        String base = backend.baseUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/model/" + URLEncoder.encode(backend.model(), StandardCharsets.UTF_8) + "/" + operation);
    }

    private Map<String, String> headers(ProviderRequest request, URI uri, byte[] body, String accept) {
        BackendConfig backend = request.backend();
        Map<String, String> unsigned = new HashMap<>(4);
        unsigned.put("content-type", "application/json");
        unsigned.put("accept", accept);
        Map<String, String> signed = signer.sign(uri, unsigned, body, backend.aws(), backend.region());
        signed.remove("content-type"); // UpstreamHttp sets the same value
        signed.put("x-request-id", request.requestId());
        return signed;
    }
}
