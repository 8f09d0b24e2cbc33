package dev.tollgate.gateway.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.ContentSettings;
import dev.tollgate.gateway.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Redaction of whole JSON documents (provider answers, request bodies) by their decoded values. */
class JsonRedactionTest {

    private static final Redactor REDACTOR = new Redactor(List.of(new ContentSettings.RedactPattern("ticket", "TCK-\\d{6}")));
    private static final JsonRedaction REDACTION = new JsonRedaction(REDACTOR);

    /** A whole OpenAI chat answer, as an upstream sends it: the content's line breaks and tabs are escaped. */
    private static String openAiAnswer(String content) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", content);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("id", "chatcmpl-123").put("object", "chat.completion")
                .put("created", 1_700_000_000L).put("model", "gpt-4o-mini");
        answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").set("message", message);
        return answer.toString();
    }

    private static String contentOf(String storedAnswer) throws Exception {
        return Json.MAPPER.readTree(storedAnswer).at("/choices/0/message/content").textValue();
    }

    @Test
    void secretsAfterEscapedLineBreaksAndTabsAreMaskedAndTheAnswerStaysValidJson() throws Exception {
        String content = "Here you go:\n+44 20 7946 0958\n4155550123\tDE89 3704 0044 0532 0130 00\n"
                + "AKIAQ7RSTUVWX2YZ3ABC\n10.24.7.19\nghp_R4nd0mT0k3nV4lu3Xy7Zq2Wp9Lm5Nb8Vc1Kd6\n"
                + "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n"
                + "sk-proj-Qw3rTy7UiOp9AsDfGh1JkL2ZxCvBn4Mq8We5Rt6Yu0IoPaSd";
        String answer = openAiAnswer(content);
        assertThat(answer).contains("\\n+44 20 7946 0958").contains("\\nAKIAQ7RSTUVWX2YZ3ABC");

        String stored = REDACTION.redactText(answer);

        assertThat(contentOf(stored)).isEqualTo("Here you go:\n[REDACTED:PHONE]\n[REDACTED:PHONE]\t[REDACTED:IBAN]\n"
                + "[REDACTED:AWS_ACCESS_KEY]\n[REDACTED:IPV4]\n[REDACTED:GITHUB_TOKEN]\n[REDACTED:JWT]\n[REDACTED:OPENAI_KEY]");
        assertThat(Json.MAPPER.readTree(stored).path("model").asText()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void aMaskedEmailAfterAnEscapeLeavesValidJson() throws Exception {
        // Over the escaped text, "\nanna@example.com" matched "nanna@example.com" and left "\[REDACTED:EMAIL]": no JSON.
        String answer = openAiAnswer("Write to\nanna@example.com or \"ben@example.org\"");

        String stored = REDACTION.redactText(answer);

        assertThat(contentOf(stored)).isEqualTo("Write to\n[REDACTED:EMAIL] or \"[REDACTED:EMAIL]\"");
    }

    @Test
    void everyCorpusExampleIsRedactedInsideAnAnswerAsInPlainText() throws Exception {
        List<String> differences = new ArrayList<>();
        for (RedactionCorpusTest.Example example : RedactionCorpusTest.load()) {
            String stored = REDACTION.redactText(openAiAnswer(example.text()));
            String content = contentOf(stored); // parses: the stored answer is valid JSON
            boolean itselfJson = example.text().startsWith("{") || example.text().startsWith("[");
            if (!itselfJson && !content.equals(REDACTOR.redact(example.text()))) { // JSON content comes back compact
                differences.add(example.text());
            }
            for (Redactor.Match secret : example.expected()) {
                String value = example.text().substring(secret.start(), secret.end());
                assertThat(content).as("stored content of: %s", example.text()).doesNotContain(value);
            }
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void toolCallArgumentsAreRedactedAsJsonAndStayValidJson() throws Exception {
        String arguments = Json.MAPPER.createObjectNode().put("to", "+14155550199").put("note", "card\n4111 1111 1111 1111").toString();
        ObjectNode function = Json.MAPPER.createObjectNode().put("name", "send_sms").put("arguments", arguments);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putArray("tool_calls").addObject().set("function", function);

        JsonNode stored = Json.MAPPER.readTree(REDACTION.redactText(answer.toString()));

        JsonNode storedArguments = Json.MAPPER.readTree(stored.at("/tool_calls/0/function/arguments").textValue());
        assertThat(storedArguments.path("to").asText()).isEqualTo("[REDACTED:PHONE]");
        assertThat(storedArguments.path("note").asText()).isEqualTo("card\n[REDACTED:CARD]");
        assertThat(stored.at("/tool_calls/0/function/name").asText()).isEqualTo("send_sms");
    }

    @Test
    void aCardSentAsANumberIsMaskedAndOtherNumbersAreKept() throws Exception {
        JsonNode body = Json.MAPPER.readTree("{\"card\":4111111111111111,\"created\":1700000000,\"order\":4155550123,\"n\":2}");

        JsonNode stored = REDACTION.redact(body);

        assertThat(stored.toString()).isEqualTo("{\"card\":\"[REDACTED:CARD]\",\"created\":1700000000,\"order\":4155550123,\"n\":2}");
        assertThat(body.path("card").isNumber()).as("the request tree itself is not changed").isTrue();
    }

    @Test
    void aDocumentWithNothingToMaskIsStoredExactlyAsReceived() {
        String answer = "{ \"choices\" : [ {\"message\": {\"content\": \"Version 1.2.3.4, order 4155550123\"}} ] }";

        assertThat(REDACTION.redactText(answer)).isSameAs(answer);
    }

    @Test
    void textThatIsNotOneJsonDocumentIsRedactedAsText() {
        assertThat(REDACTION.redactText("{\"a\": 1} and then mail anna@example.com")).isEqualTo("{\"a\": 1} and then mail [REDACTED:EMAIL]");
        assertThat(REDACTION.redactText("Streamed text: call 020 7946 0958")).isEqualTo("Streamed text: call [REDACTED:PHONE]");
    }

    @Test
    void writtenOutEscapesInPlainTextDoNotHideWhatFollows() {
        assertThat(REDACTOR.redact("printf(\"key\\nAKIAQ7RSTUVWX2YZ3ABC\\tok\")")).isEqualTo("printf(\"key\\n[REDACTED:AWS_ACCESS_KEY]\\tok\")");
    }

    @Test
    void fullWidthAndZeroWidthCharactersDoNotHideACard() {
        assertThat(REDACTOR.redact("card ４１１１　１１１１　１１１１　１１１１ ok")).isEqualTo("card [REDACTED:CARD] ok");
        assertThat(REDACTOR.redact("card 4111\u200b1111\u200b1111\u200b1111 ok")).isEqualTo("card [REDACTED:CARD] ok");
    }
}
