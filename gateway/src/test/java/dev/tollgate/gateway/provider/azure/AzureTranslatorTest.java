package dev.tollgate.gateway.provider.azure;

import dev.tollgate.gateway.provider.TranslatorTable;
import dev.tollgate.gateway.provider.openai.OpenAiTranslator;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Azure OpenAI: OpenAI's format at Azure's URL layout with its {@code api-key}: the cases of {@code translators/azure/}. */
class AzureTranslatorTest {

    @TestFactory
    Stream<DynamicNode> azureWireFormat() throws IOException {
        return TranslatorTable.cases("azure", new OpenAiTranslator(new AzureOpenAiTarget()));
    }
}
