package dev.tollgate.gateway.testing;

import com.openai.client.OpenAIClient;
import dev.tollgate.gateway.Gateway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * One fake provider upstream and one gateway in front of it for a whole test class, as a static
 * {@code @RegisterExtension} field: started before the class's first test, closed after its last. Before each test the
 * upstream forgets what it received and answers 500 until the test scripts it, so each test sees a fresh upstream; the
 * gateway's ledger keeps the rows of the class's earlier tests (tests read their own rows by request id).
 */
public final class ProviderGateway implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The virtual key of the gateway's one key, {@code app}. */
    public static final String KEY = "sk-tg-app-key-1234";

    private final UnaryOperator<String> routes;
    private Path dir;
    private FakeUpstream upstream;
    private Gateway gateway;
    private OpenAIClient client;

    /** {@code routes} gives the YAML of the routes for the upstream's base URL; the key {@link #KEY} is added. */
    public ProviderGateway(UnaryOperator<String> routes) {
        this.routes = routes;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("provider-gateway");
        upstream = new FakeUpstream();
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + routes.apply(upstream.baseUrl())
                + "keys:\n  - { name: app, key: " + KEY + " }\n");
        client = ChatScenarios.client(gateway, KEY);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        upstream.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        client.close();
        gateway.close();
        upstream.close();
        TestGateways.deleteTree(dir);
    }

    public FakeUpstream upstream() {
        return upstream;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** An OpenAI SDK client of the gateway with {@link #KEY}, without retries. */
    public OpenAIClient client() {
        return client;
    }
}
