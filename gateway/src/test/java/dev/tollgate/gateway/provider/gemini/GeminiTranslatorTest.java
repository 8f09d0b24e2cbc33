package dev.tollgate.gateway.provider.gemini;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Google Gemini's generateContent API: the cases of {@code translators/gemini/}. */
class GeminiTranslatorTest {

    @TestFactory
    Stream<DynamicNode> geminiWireFormat() throws IOException {
        return TranslatorTable.cases("gemini", new GeminiTranslator());
    }
}
