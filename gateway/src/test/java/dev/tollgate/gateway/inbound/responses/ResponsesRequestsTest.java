package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.request.ModelRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Responses request → chat request, as a table of wire-format cases; no server. */
class ResponsesRequestsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode parse(String json) {
        return ResponsesRequests.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> translations() {
        return Stream.of(
                arguments("a string input and instructions",
                        """
                        {"model":"m","instructions":"Be brief.","input":"Hi","max_output_tokens":100,"temperature":0.5,"top_p":0.9,
                         "user":"u-1","metadata":{"app":"x"},"store":false}""",
                        """
                        {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                         "temperature":0.5,"top_p":0.9,"user":"u-1","metadata":{"app":"x"},"max_completion_tokens":100}"""),
                arguments("messages with parts, roles and an image",
                        """
                        {"model":"m","input":[
                          {"role":"developer","content":"Rules."},
                          {"type":"message","role":"user","content":[{"type":"input_text","text":"What is this?"},
                            {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"}]},
                          {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                           "content":[{"type":"output_text","text":"A cat.","annotations":[]}]}]}""",
                        """
                        {"model":"m","messages":[{"role":"developer","content":"Rules."},
                          {"role":"user","content":[{"type":"text","text":"What is this?"},
                            {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},
                          {"role":"assistant","content":"A cat."}]}"""),
                arguments("function calls join the assistant's message; outputs become tool messages; reasoning is dropped",
                        """
                        {"model":"m","input":[{"role":"user","content":"Weather?"},
                          {"type":"reasoning","id":"rs_1","summary":[]},
                          {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
                          {"type":"function_call","id":"fc_1","call_id":"call_1","name":"w","arguments":"{\\"c\\":\\"Paris\\"}"},
                          {"type":"function_call","call_id":"call_2","name":"w","arguments":"{\\"c\\":\\"Rome\\"}"},
                          {"type":"function_call_output","call_id":"call_1","output":"sunny"},
                          {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"rain"}]}],
                         "tools":[{"type":"function","name":"w","description":"Weather","parameters":{"type":"object"},"strict":true}],
                         "tool_choice":"required","parallel_tool_calls":true}""",
                        """
                        {"model":"m","messages":[{"role":"user","content":"Weather?"},
                          {"role":"assistant","content":"Checking.","tool_calls":[
                            {"id":"call_1","type":"function","function":{"name":"w","arguments":"{\\"c\\":\\"Paris\\"}"}},
                            {"id":"call_2","type":"function","function":{"name":"w","arguments":"{\\"c\\":\\"Rome\\"}"}}]},
                          {"role":"tool","tool_call_id":"call_1","content":"sunny"},
                          {"role":"tool","tool_call_id":"call_2","content":"rain"}],
                         "tools":[{"type":"function","function":{"name":"w","description":"Weather","parameters":{"type":"object"},"strict":true}}],
                         "tool_choice":"required","parallel_tool_calls":true}"""),
                arguments("a function tool choice, a JSON schema format, reasoning effort and a stream",
                        """
                        {"model":"m","input":"Hi","stream":true,"tool_choice":{"type":"function","name":"w"},
                         "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},
                         "reasoning":{"effort":"low"}}""",
                        """
                        {"model":"m","messages":[{"role":"user","content":"Hi"}],"tool_choice":{"type":"function","function":{"name":"w"}},
                         "reasoning_effort":"low","response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}},
                         "stream":true,"stream_options":{"include_usage":true}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translations")
    void translatesToChat(String name, String responses, String chat) throws Exception {
        ResponsesRequests.Translation t = ResponsesRequests.toChat(parse(responses));

        assertThat(t.chat()).isEqualTo(JSON.readTree(chat));
        assertThat(t.untranslatable()).isNull();
    }

    static Stream<Arguments> nativeOnly() {
        return Stream.of(
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"web_search\"}]}", "tools[1].type"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"tool_choice\":{\"type\":\"file_search\"}}", "tool_choice.type"),
                arguments("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"file-1\"}]}]}",
                        "input[0].content[0].type"),
                arguments("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"file-1\"}]}]}",
                        "input[0].content[0].file_id"),
                arguments("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"type\":\"computer_call_output\",\"call_id\":\"c\"}]}",
                        "input[1].type"));
    }

    /** What only a native Responses backend serves is left out of the chat body and kept as the 400 for other backends. */
    @ParameterizedTest
    @MethodSource("nativeOnly")
    void nativeOnlyFeatureIsKeptAsTheRefusalForTranslatedBackends(String responses, String param) {
        ResponsesRequests.Translation t = ResponsesRequests.toChat(parse(responses));

        assertThat(t.untranslatable()).isNotNull();
        assertThat(t.untranslatable().status()).isEqualTo(400);
        assertThat(t.untranslatable().param()).isEqualTo(param);
        assertThat(t.untranslatable().getMessage()).contains("natively");
        assertThat(t.chat().path("messages").isArray()).isTrue();
        assertThat(t.chat().toString()).doesNotContain("web_search", "file_search", "file-1", "computer_call");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("{\"input\":\"Hi\"}", "model"),
                arguments("{\"model\":\"m\"}", "input"),
                arguments("{\"model\":\"m\",\"input\":[]}", "input"),
                arguments("{\"model\":\"m\",\"input\":42}", "input"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"previous_response_id\":\"resp_1\"}", "previous_response_id"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"conversation\":\"conv_1\"}", "conversation"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"background\":true}", "background"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"max_output_tokens\":0}", "max_output_tokens"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"store\":\"yes\"}", "store"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"temperature\":\"hot\"}", "temperature"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"tools\":{}}", "tools"),
                arguments("{\"model\":\"m\",\"input\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}", "input[0].role"),
                arguments("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":7}]}", "input[0].content"),
                arguments("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\"}]}", "input[0].call_id"),
                arguments("{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\"}]}", "input[0].output"),
                arguments("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}", "input[0].type"),
                arguments("{\"model\":\"m\",\"input\":[{\"content\":\"Hi\"}]}", "input[0].type"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"tools\":[{\"type\":\"function\"}]}", "tools[0].name"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"tool_choice\":\"sometimes\"}", "tool_choice"),
                arguments("{\"model\":\"m\",\"input\":\"Hi\",\"text\":{\"format\":{\"type\":\"yaml\"}}}", "text.format.type"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void invalidRequestIsRefusedNamingTheParameter(String responses, String param) {
        assertThatThrownBy(() -> ResponsesRequests.toChat(parse(responses)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid_request_error");
                    assertThat(e.param()).isEqualTo(param);
                });
    }

    /** A request using every field the translator reads. */
    static final String RICH = """
            {"model":"m","instructions":"Be brief.","max_output_tokens":100,"temperature":0.5,"top_p":0.9,"user":"u",
             "metadata":{"a":"b"},"store":false,"stream":true,"parallel_tool_calls":true,"reasoning":{"effort":"low"},
             "text":{"format":{"type":"json_schema","name":"n","schema":{"type":"object"},"strict":true}},
             "tools":[{"type":"function","name":"w","description":"d","parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"w"},
             "input":[{"role":"user","content":[{"type":"input_text","text":"Hi"},{"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
               {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Yes"}]},
               {"type":"function_call","call_id":"c1","name":"w","arguments":"{}"},
               {"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"ok"}]}]}""";

    static final List<JsonNode> ODD_VALUES = List.of(NullNode.getInstance(), IntNode.valueOf(-1), TextNode.valueOf("x"),
            BooleanNode.TRUE, JSON.createArrayNode(), JSON.createObjectNode());

    /**
     * Every field of a rich request, replaced by a value of every JSON type: the answer is a 400 naming a parameter,
     * or a valid chat request, never another exception (which would be a 500).
     */
    @Test
    void anyFieldOfAnyTypeIsA400OrAValidChatRequest() throws Exception {
        ObjectNode rich = (ObjectNode) JSON.readTree(RICH);
        List<String> paths = new ArrayList<>();
        collect(rich, "", paths);
        int refused = 0;
        for (String path : paths) {
            for (JsonNode odd : ODD_VALUES) {
                ObjectNode mutated = rich.deepCopy();
                JsonPointer pointer = JsonPointer.compile(path);
                JsonNode parent = mutated.at(pointer.head());
                if (parent instanceof ObjectNode o) {
                    o.set(pointer.last().getMatchingProperty(), odd);
                } else if (parent instanceof ArrayNode a) {
                    a.set(pointer.last().getMatchingIndex(), odd);
                }
                try {
                    ObjectNode chat = ResponsesRequests.toChat(ResponsesRequests.parse(JSON.writeValueAsBytes(mutated))).chat();
                    ModelRequest.parse(Endpoint.CHAT, JSON.writeValueAsBytes(chat));
                } catch (GatewayException e) {
                    assertThat(e.status()).as(path + " = " + odd).isEqualTo(400);
                    refused++;
                }
            }
        }
        assertThat(paths).hasSizeGreaterThan(40);
        assertThat(refused).isGreaterThan(paths.size());
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> {
                out.add(path + "/" + f);
                collect(node.get(f), path + "/" + f, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(path + "/" + i);
                collect(node.get(i), path + "/" + i, out);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("translations")
    void everyTranslationIsAValidChatRequest(String name, String responses, String chat) {
        JsonNode body = ResponsesRequests.toChat(parse(responses)).chat();

        assertThat(ModelRequest.parse(Endpoint.CHAT, body.toString().getBytes(StandardCharsets.UTF_8)).model()).isEqualTo("m");
    }
}
