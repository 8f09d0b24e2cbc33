package dev.tollgate.gateway.provider.openai;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** OpenAI's wire format (OpenAI itself and the catalog's providers): the cases of {@code translators/openai/}. */
class OpenAiTranslatorTest {

    @TestFactory
    Stream<DynamicNode> openAiWireFormat() throws IOException {
        return TranslatorTable.cases("openai", new OpenAiTranslator(OpenAiTarget.BEARER));
    }
}
