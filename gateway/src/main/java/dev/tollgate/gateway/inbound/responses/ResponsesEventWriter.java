package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.inbound.TranslatedStream;
import dev.tollgate.gateway.json.Json;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a stream in the Responses API's event format, every event numbered by {@code sequence_number}. OpenAI chat
 * chunks from any backend become {@code response.created}, {@code response.in_progress}, then per output item
 * {@code response.output_item.added}, {@code response.content_part.added}, {@code response.output_text.delta}...,
 * {@code response.output_text.done}, {@code response.content_part.done}, {@code response.output_item.done} (function
 * calls: {@code response.function_call_arguments.delta/.done}), and {@code response.completed} (or
 * {@code response.incomplete}) with the usage; a failure after the first byte ends it with {@code response.failed}.
 * A native Responses backend's own events (data with a {@code type}, no {@code object}) are relayed unchanged; when
 * such a stream breaks off, it ends with OpenAI's {@code error} event numbered after the last one relayed.
 */
final class ResponsesEventWriter extends TranslatedStream {

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectNode request;
    private final List<ObjectNode> items = new ArrayList<>();
    /** Function call items by the chat stream's tool call {@code index}. */
    private final Map<Integer, ObjectNode> calls = new HashMap<>();

    private int sequence;
    private ObjectNode response;
    private String baseId;
    /** The open output item: a message (with {@link #messageText}) or a function call; null between items. */
    private ObjectNode openItem;
    private StringBuilder messageText;

    ResponsesEventWriter(HttpServletResponse servlet, ObjectNode request) {
        super(servlet, KEEP_ALIVE);
        this.request = request;
    }

    @Override
    protected void text(String content) throws IOException {
        if (messageText == null) {
            openMessage();
        }
        appendText(content);
        messageText.append(content);
        ObjectNode event = itemEvent("response.output_text.delta").put("content_index", 0).put("delta", content);
        event.putArray("logprobs");
        write(event);
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // target == openItem: the item still open, not an equal one
    protected void toolCall(JsonNode call) throws IOException {
        int index = call.path("index").asInt(calls.size());
        if (call.hasNonNull("id")) {
            closeItem();
            openItem = ResponsesObjects.functionCall(baseId, items.size(), call.get("id").asText(),
                    call.path("function").path("name").asText(), "", "in_progress");
            calls.put(index, openItem);
            write(event("response.output_item.added").put("output_index", items.size()).set("item", openItem.deepCopy()));
        }
        String arguments = call.path("function").path("arguments").asText("");
        ObjectNode target = calls.get(index);
        if (!arguments.isEmpty() && target != null) {
            target.put("arguments", target.get("arguments").asText() + arguments);
            if (target == openItem) {
                write(itemEvent("response.function_call_arguments.delta").put("delta", arguments));
            } // a call already done (interleaved parallel calls): its whole arguments reach the final response
        }
    }

    @Override
    protected void relay(JsonNode event, byte[] raw) throws IOException {
        String type = event.get("type").asText();
        if (event.path("sequence_number").canConvertToInt()) {
            sequence = event.get("sequence_number").intValue() + 1;
        }
        if (type.equals("response.output_text.delta")) {
            appendText(event.path("delta").asText(""));
        }
        writeEvent(type, raw, false);
    }

    @Override
    protected void finish() throws IOException {
        closeItem();
        ArrayNode output = response.putArray("output");
        items.forEach(output::add);
        ResponsesObjects.finish(response, finishReason(), usage());
        String status = response.get("status").asText();
        write(event(status.equals("incomplete") ? "response.incomplete" : "response.completed").set("response", response));
    }

    @Override
    public void fail(GatewayException error) {
        try {
            if (relayed()) {
                // a native stream that broke off: no response object to fail here, so OpenAI's own error event
                ObjectNode event = event("error").put("code", error.code() != null ? error.code() : error.type())
                        .put("message", error.getMessage());
                event.putNull("param");
                write(event);
                return;
            }
            ArrayNode output = response.putArray("output");
            items.forEach(output::add);
            if (openItem != null) { // what was streamed of the interrupted item
                if (messageText != null) {
                    openItem.withArray("content").add(ResponsesObjects.outputText(messageText.toString()));
                }
                output.add(openItem.put("status", "incomplete"));
            }
            ResponsesObjects.fail(response, error);
            response.set("usage", usage() == null ? null : ResponsesObjects.usage(usage()));
            write(event("response.failed").set("response", response));
        } catch (IOException ignored) {
            // the client is gone as well; the ledger still records the failure
        }
    }

    @Override
    protected void start(JsonNode firstChunk) throws IOException {
        baseId = ResponsesObjects.baseId(firstChunk.path("id").asText(""));
        long created = firstChunk.path("created").asLong(System.currentTimeMillis() / 1000);
        response = ResponsesObjects.envelope(request, baseId, firstChunk.path("model").asText(request.path("model").asText()), created);
        write(event("response.created").set("response", response.deepCopy()));
        write(event("response.in_progress").set("response", response.deepCopy()));
    }

    private void openMessage() throws IOException {
        closeItem();
        openItem = ResponsesObjects.message(baseId, "in_progress");
        messageText = new StringBuilder();
        write(event("response.output_item.added").put("output_index", items.size()).set("item", openItem.deepCopy()));
        write(itemEvent("response.content_part.added").put("content_index", 0).set("part", ResponsesObjects.outputText("")));
    }

    private void closeItem() throws IOException {
        if (openItem == null) {
            return;
        }
        if (messageText != null) {
            String done = messageText.toString();
            ObjectNode textDone = itemEvent("response.output_text.done").put("content_index", 0).put("text", done);
            textDone.putArray("logprobs");
            write(textDone);
            ObjectNode part = ResponsesObjects.outputText(done);
            write(itemEvent("response.content_part.done").put("content_index", 0).set("part", part));
            openItem.withArray("content").add(part);
            messageText = null;
        } else {
            write(itemEvent("response.function_call_arguments.done").put("name", openItem.get("name").asText())
                    .put("arguments", openItem.get("arguments").asText()));
        }
        openItem.put("status", "completed");
        write(event("response.output_item.done").put("output_index", items.size()).set("item", openItem));
        items.add(openItem);
        openItem = null;
    }

    private ObjectNode event(String type) {
        return Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
    }

    private ObjectNode itemEvent(String type) {
        return event(type).put("item_id", openItem.get("id").asText()).put("output_index", items.size());
    }

    private void write(ObjectNode event) throws IOException {
        writeEvent(event.get("type").asText(), Json.bytes(event), false);
    }
}
