package dev.tollgate.gateway.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.ContentLogging;
import dev.tollgate.api.config.ContentSettings;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.KeyPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The content-logging policy at work: {@code off} keeps nothing (the default: the ledger holds metadata only),
 * {@code redacted} keeps request and response text with personal data and secrets masked by the {@link Redactor},
 * {@code full} keeps it as sent. A key's own policy overrides the gateway's. Redaction works on decoded values
 * ({@link JsonRedaction}): the request tree, and the answer as a JSON document when it is one (a whole provider
 * answer) or as text (a streamed answer's assembled text), so what is stored is valid JSON.
 *
 * <p>{@link #record} only offers the request to a bounded queue; one background thread redacts and writes batches
 * to {@code content_log}. Content is best effort, unlike spend: when the queue is full or the database is down,
 * records are dropped and counted ({@code tollgate.content.dropped}), never waited for.
 */
public final class ContentLog implements ContentSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContentLog.class);
    private static final int BATCH = 200;

    private record Pending(String requestId, long at, String keyName, ContentLogging policy, JsonNode request, String response) {
    }

    private final ConfigHolder config;
    private final ContentStore store;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final Counter dropped;
    private final Counter written;
    private final Thread worker;
    private volatile JsonRedaction redaction;
    private volatile List<ContentSettings.RedactPattern> redactorPatterns;
    private volatile boolean closed;

    public ContentLog(ConfigHolder config, ContentStore store, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        ContentSettings settings = config.current().source().gateway().content();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.redactorPatterns = settings.redactPatterns();
        this.redaction = new JsonRedaction(new Redactor(redactorPatterns));
        this.dropped = Counter.builder("tollgate.content.dropped").description("Content records not stored (queue full or database down)").register(registry);
        this.written = Counter.builder("tollgate.content.written").description("Content records stored").register(registry);
        this.worker = Thread.ofPlatform().name("tollgate-content-log").daemon(true).start(this::run);
    }

    /** The policy that applies to a key: its own, else the gateway's. */
    public static ContentLogging policy(KeyPolicy key, ContentLogging gatewayDefault) {
        ContentLogging own = key.config().contentLogging();
        return own != null ? own : gatewayDefault;
    }

    @Override
    public void record(String requestId, KeyPolicy key, JsonNode request, Supplier<String> response) {
        if (key == null || closed) {
            return;
        }
        ContentLogging policy = policy(key, config.current().source().gateway().contentLogging());
        if (policy == ContentLogging.OFF) {
            return;
        }
        if (!queue.offer(new Pending(requestId, clock.millis(), key.name(), policy, request, response.get()))) {
            dropped.increment();
        }
    }

    /** Writes what is queued (waiting at most {@code timeout}) and stops the worker. */
    public void close(Duration timeout) {
        closed = true;
        worker.interrupt();
        try {
            worker.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
            } catch (InterruptedException e) {
                queue.drainTo(batch);
                write(batch);
                return;
            }
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            }
            if (closed && queue.isEmpty()) {
                return;
            }
        }
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        JsonRedaction r = currentRedaction();
        List<ContentRecord> records = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            boolean redact = p.policy() == ContentLogging.REDACTED;
            String request = p.request() == null ? null : (redact ? r.redact(p.request()) : p.request()).toString();
            String response = p.response() == null ? null : (redact ? r.redactText(p.response()) : p.response());
            records.add(new ContentRecord(p.requestId(), p.at(), p.keyName(), p.policy(), request, response));
        }
        try {
            store.insertBatch(records);
            written.increment(records.size());
        } catch (Exception e) {
            dropped.increment(records.size());
            LOG.warn("Content log: {} records not stored: {}", records.size(), e.getClass().getSimpleName());
        }
    }

    /** The redaction for the current configuration; rebuilt (custom patterns compiled) only when they change. */
    private JsonRedaction currentRedaction() {
        List<ContentSettings.RedactPattern> patterns = config.current().source().gateway().content().redactPatterns();
        if (!patterns.equals(redactorPatterns)) {
            redaction = new JsonRedaction(new Redactor(patterns));
            redactorPatterns = patterns;
        }
        return redaction;
    }
}
