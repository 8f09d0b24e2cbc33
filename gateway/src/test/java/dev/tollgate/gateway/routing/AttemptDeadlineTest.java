package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.Timeouts;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.request.ClientApi;
import dev.tollgate.gateway.usage.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tollgate.api.config.RoutingStrategy.WEIGHTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An attempt's deadline is the watchdog's: the transport's own timeout comes after it, so an attempt that outlives
 * its deadline always ends as the watchdog's timeout and is billed its prompt. With both at the same instant, a
 * loaded machine let the transport's timer win now and then, and the attempt went unbilled as an upstream failure.
 */
class AttemptDeadlineTest {

    private static final Duration DEADLINE = Duration.ofMillis(200);

    private final AttemptWatchdog watchdog = new AttemptWatchdog();

    @AfterEach
    void stop() {
        watchdog.close();
    }

    @Test
    void anAttemptPastItsDeadlineIsTheWatchdogsTimeoutAndIsBilledItsPrompt() {
        AtomicReference<Duration> transportTimeout = new AtomicReference<>();
        Provider transport = new TimingOutTransport(transportTimeout);
        BackendStats stats = new BackendStats();
        BackendRouter router = new BackendRouter(new BackendRanking(new Random(7), stats, BackendConfig::pricing),
                new CircuitBreakers(Clock.systemUTC(), new SimpleMeterRegistry()), new BackendRouterTest.QuotaSpy(), stats);
        RouteExecutor executor = new RouteExecutor(router, new ProviderRegistry(List.of(transport)), watchdog, Clock.systemUTC());
        RouteConfig route = new RouteConfig("model", List.of(), List.of(Routes.backend("a", 1)), WEIGHTED, 0, null,
                new Timeouts(Duration.ofSeconds(1), DEADLINE, null, null), null, List.of(), List.of(), List.of(), null, false);
        Usage prompt = new Usage(42, 0, 0, 0, true);
        byte[] body = "{\"model\":\"model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        RoutedRequest request = new RoutedRequest("req_1", ClientApi.OPENAI.parse(Endpoint.CHAT, body), 50, () -> prompt, ClientApi.OPENAI);
        RouteTrace trace = new RouteTrace();

        assertThatThrownBy(() -> executor.complete(null, route, request, trace))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(504));

        assertThat(transportTimeout.get()).as("the transport gives up only after the watchdog's deadline").isGreaterThan(DEADLINE);
        assertThat(trace.lastBilledUsage()).as("the timed-out attempt's prompt is billed").isEqualTo(prompt);
    }

    /** A transport that honours the request's own timeout, as Jetty's client does: it fails when that passes. */
    private record TimingOutTransport(AtomicReference<Duration> seenTimeout) implements Provider {

        @Override
        public String id() {
            return "mock";
        }

        @Override
        public ProviderResponse call(ProviderRequest request) {
            seenTimeout.set(request.timeout());
            try {
                Thread.sleep(request.timeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the watchdog's deadline, as UpstreamHttp answers it
            }
            throw UpstreamException.timeout(request.backend().name());
        }

        @Override
        public StreamResult stream(ProviderRequest request, ChunkSink sink) {
            throw new UnsupportedOperationException("whole answers only");
        }
    }
}
