package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Chat completion → Responses object, as a table of wire-format cases; no server. */
class ResponsesObjectsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REQUEST = "{\"model\":\"gpt\",\"input\":\"Hi\",\"instructions\":\"Be brief.\",\"max_output_tokens\":64,"
            + "\"metadata\":{\"app\":\"x\"}}";

    static Stream<Arguments> answers() {
        return Stream.of(
                arguments("text",
                        "{\"id\":\"chatcmpl-A1\",\"model\":\"gpt-4.1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hello.\"},"
                                + "\"finish_reason\":\"stop\"}]}",
                        "completed", null,
                        "[{\"id\":\"msg_A1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                                + "\"content\":[{\"type\":\"output_text\",\"text\":\"Hello.\",\"annotations\":[]}]}]"),
                arguments("text and two tool calls",
                        "{\"id\":\"chatcmpl-A2\",\"model\":\"gpt-4.1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Checking.\","
                                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"c\\\":1}\"}},"
                                + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]},"
                                + "\"finish_reason\":\"tool_calls\"}]}",
                        "completed", null,
                        "[{\"id\":\"msg_A2\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                                + "\"content\":[{\"type\":\"output_text\",\"text\":\"Checking.\",\"annotations\":[]}]},"
                                + "{\"id\":\"fc_A2_0\",\"type\":\"function_call\",\"status\":\"completed\",\"call_id\":\"call_1\",\"name\":\"w\",\"arguments\":\"{\\\"c\\\":1}\"},"
                                + "{\"id\":\"fc_A2_1\",\"type\":\"function_call\",\"status\":\"completed\",\"call_id\":\"call_2\",\"name\":\"w\",\"arguments\":\"{}\"}]"),
                arguments("cut at the token limit",
                        "{\"id\":\"chatcmpl-A3\",\"model\":\"gpt-4.1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Once upon\"},"
                                + "\"finish_reason\":\"length\"}]}",
                        "incomplete", "max_output_tokens",
                        "[{\"id\":\"msg_A3\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                                + "\"content\":[{\"type\":\"output_text\",\"text\":\"Once upon\",\"annotations\":[]}]}]"),
                arguments("a refusal, filtered",
                        "{\"id\":\"chatcmpl-A4\",\"model\":\"gpt-4.1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,"
                                + "\"refusal\":\"I can't help with that.\"},\"finish_reason\":\"content_filter\"}]}",
                        "incomplete", "content_filter",
                        "[{\"id\":\"msg_A4\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                                + "\"content\":[{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}]}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void chatCompletionBecomesAResponse(String name, String completion, String status, String incompleteReason, String output)
            throws Exception {
        ObjectNode request = (ObjectNode) JSON.readTree(REQUEST);

        ObjectNode response = ResponsesObjects.response(request, JSON.readTree(completion), new Usage(300, 40, 100, 10, false), 1750000000);

        assertThat(response.path("id").asText()).startsWith("resp_");
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("created_at").asLong()).isEqualTo(1750000000);
        assertThat(response.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(response.path("status").asText()).isEqualTo(status);
        assertThat(response.path("incomplete_details").path("reason").asText(null)).isEqualTo(incompleteReason);
        assertThat(response.path("output")).isEqualTo(JSON.readTree(output));
        assertThat(JSON.readTree(response.path("usage").toString())).isEqualTo(JSON.readTree("""
                {"input_tokens":300,"input_tokens_details":{"cached_tokens":100,"cache_write_tokens":0},"output_tokens":40,
                 "output_tokens_details":{"reasoning_tokens":10},"total_tokens":340}"""));
        assertThat(response.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(response.path("max_output_tokens").asInt()).isEqualTo(64);
        assertThat(response.path("metadata")).isEqualTo(JSON.readTree("{\"app\":\"x\"}"));
        assertThat(response.path("store").asBoolean(true)).isFalse();
        assertThat(response.path("error").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void usageFromTheCompletionWhenTheProviderReportedNoneApart(String name, String completion, String status, String reason,
                                                               String output) throws Exception {
        ObjectNode withUsage = (ObjectNode) JSON.readTree(completion);
        withUsage.set("usage", JSON.readTree("{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}"));

        JsonNode response = ResponsesObjects.response((ObjectNode) JSON.readTree(REQUEST), withUsage, null, 1);

        assertThat(response.path("usage").path("input_tokens").asInt()).isEqualTo(7);
        assertThat(response.path("usage").path("output_tokens").asInt()).isEqualTo(3);
        assertThat(response.path("usage").path("total_tokens").asInt()).isEqualTo(10);
    }
}
