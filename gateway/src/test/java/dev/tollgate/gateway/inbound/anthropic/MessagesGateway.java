package dev.tollgate.gateway.inbound.anthropic;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A gateway in front of a fake OpenAI upstream (model {@code gpt}) and a fake Anthropic one (model {@code claude}), one
 * per test class, as a static {@code @RegisterExtension} field: started before the class's first test, closed after its
 * last. Before each test both upstreams forget what they received and answer 500 until the test scripts them. Keys:
 * {@link #KEY} ({@code app}) and {@code sk-tg-narrow-key-5678} ({@code narrow}, Claude only).
 */
final class MessagesGateway implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    static final String KEY = "sk-tg-app-key-1234";

    private Path dir;
    private FakeUpstream openai;
    private FakeUpstream anthropic;
    private Gateway gateway;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("messages-gateway");
        openai = new FakeUpstream();
        anthropic = new FakeUpstream();
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt
                    backends:
                      - name: openai-main
                        provider: openai
                        model: gpt-4.1
                        baseUrl: %s/v1
                        apiKey: sk-openai-upstream-secret
                        pricing: { inputPerMillion: 2.00, outputPerMillion: 8.00, cachedInputPerMillion: 0.50 }
                  - model: claude
                    backends:
                      - name: anthropic-main
                        provider: anthropic
                        model: claude-sonnet-4-5
                        baseUrl: %s
                        apiKey: sk-ant-upstream-secret
                        pricing: { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.30, cacheWriteInputPerMillion: 3.75 }
                keys:
                  - { name: app, key: %s }
                  - { name: narrow, key: sk-tg-narrow-key-5678, models: [claude] }
                """.formatted(openai.baseUrl(), anthropic.baseUrl(), KEY));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        openai.reset();
        anthropic.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        gateway.close();
        openai.close();
        anthropic.close();
        TestGateways.deleteTree(dir);
    }

    FakeUpstream openai() {
        return openai;
    }

    FakeUpstream anthropic() {
        return anthropic;
    }

    Gateway gateway() {
        return gateway;
    }

    Http http() {
        return new Http(gateway.port());
    }
}
