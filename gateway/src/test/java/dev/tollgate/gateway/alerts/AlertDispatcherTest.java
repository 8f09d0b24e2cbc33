package dev.tollgate.gateway.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.alerts.WebhookSender;
import dev.tollgate.api.config.AlertSettings;
import dev.tollgate.api.config.Backoff;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.WebhookConfig;
import dev.tollgate.api.config.WebhookFormat;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.limits.BudgetCrossing;
import dev.tollgate.gateway.testing.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The alert queue and redelivery of {@link AlertDispatcher} on a real SQLite ledger and a real HTTP receiver. */
class AlertDispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant PERIOD = Instant.parse("2030-01-15T00:00:00Z");

    @TempDir
    Path dir;

    final WebhookReceiver receiver = new WebhookReceiver();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LedgerDatabase database;
    AlertDispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (database != null) {
            database.close();
        }
        receiver.close();
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("ledger.db");
    }

    private AlertDispatcher start(int capacity, int maxAttempts, Duration redeliverAfter) {
        database = new LedgerDatabase(new DatabaseSettings(url(), null, null, 4, Duration.ofSeconds(30)));
        AlertSettings settings = new AlertSettings(List.of(new WebhookConfig(URI.create(receiver.url("/hook")), WebhookFormat.JSON, Map.of(), List.of())),
                capacity, maxAttempts, new Backoff(Duration.ofMillis(5), Duration.ofMillis(10), 2, 0), Duration.ofSeconds(5), redeliverAfter);
        dispatcher = new AlertDispatcher(() -> settings, database.dataSource(), WebhookSender.create(Duration.ofSeconds(5)),
                Clock.systemUTC(), registry);
        return dispatcher;
    }

    private static BudgetCrossing crossing(String key, int threshold) {
        return new BudgetCrossing("key", key, threshold, new BigDecimal("1"), BigDecimal.TEN, "daily", PERIOD, PERIOD.plus(Duration.ofDays(1)));
    }

    private List<String> deliveredIds() {
        return receiver.delivered("/hook").stream().map(p -> {
            try {
                return JSON.readTree(p.body()).path("id").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFullQueueDropsItsOldestAlertAndCountsIt() throws Exception {
        start(2, 1, Duration.ofMinutes(5));
        try (Connection lock = DriverManager.getConnection(url()); Statement s = lock.createStatement()) {
            s.execute("BEGIN IMMEDIATE"); // the claim of the first alert waits for this write lock
            dispatcher.crossed(crossing("first", 10));
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("tollgate.alerts.queued").gauge().value() == 0);

            dispatcher.crossed(crossing("second", 10));
            dispatcher.crossed(crossing("third", 10));
            dispatcher.crossed(crossing("fourth", 10));

            assertThat(registry.get("tollgate.alerts.dropped").counter().count()).isEqualTo(1);
            assertThat(registry.get("tollgate.alerts.queued").gauge().value()).isEqualTo(2);
            s.execute("ROLLBACK");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.delivered("/hook").size() == 3);
        assertThat(deliveredIds()).containsExactlyInAnyOrder("key:first:10:" + PERIOD, "key:third:10:" + PERIOD, "key:fourth:10:" + PERIOD);
    }

    @Test
    void anAlertWhoseAttemptsAllFailedIsRedeliveredOnceOverdue() {
        receiver.failNext(1);
        start(10, 1, Duration.ofMillis(200));
        dispatcher.crossed(crossing("app", 80));

        // the dispatcher counts a delivery after the receiver has answered it: wait for the count, not the post
        await().atMost(Duration.ofSeconds(10)).until(() -> count("tollgate.alerts.deliveries", "outcome", "delivered") == 1);
        assertThat(receiver.delivered("/hook")).hasSize(1);
        assertThat(receiver.posts()).extracting(WebhookReceiver.Post::status).containsExactly(500, 200);
        assertThat(count("tollgate.alerts.deliveries", "outcome", "failed")).isEqualTo(1);

        // delivered: a crossing seen again (a restart) is not sent
        dispatcher.crossed(crossing("app", 80));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("tollgate.alerts.deliveries", "outcome", "already_claimed") == 1);
        assertThat(receiver.posts()).hasSize(2);
    }
}
