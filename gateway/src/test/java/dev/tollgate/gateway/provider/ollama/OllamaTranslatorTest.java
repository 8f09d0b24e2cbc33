package dev.tollgate.gateway.provider.ollama;

import dev.tollgate.gateway.provider.TranslatorTable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Ollama's native /api/chat: the cases of {@code translators/ollama/}. */
class OllamaTranslatorTest {

    @TestFactory
    Stream<DynamicNode> ollamaWireFormat() throws IOException {
        return TranslatorTable.cases("ollama", new OllamaTranslator());
    }
}
