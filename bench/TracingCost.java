import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.tracing.AttemptSpan;
import dev.tollgate.gateway.tracing.RequestOutcome;
import dev.tollgate.gateway.tracing.RequestSpan;
import dev.tollgate.gateway.tracing.RequestTracer;
import dev.tollgate.gateway.tracing.Tracers;
import dev.tollgate.gateway.tracing.UpstreamTracing;
import dev.tollgate.gateway.usage.Usage;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU cost per request of what tracing adds to the request path, with tracing off and on:
 * {@code java -cp <gateway jar> bench/TracingCost.java [seconds per round]}. One "request" is what the pipeline and the
 * router call: the server span (with a client traceparent, or none), one attempt span made current, the traceparent
 * written into the upstream headers, the upstream status recorded, the attempt and the request ended. Spans go to an
 * exporter that drops them, on the calling thread (the SDK's simple processor), so the span's conversion for export
 * counts too; in production the batch processor does that on its own thread. The thread's own CPU time. Not a test.
 */
public class TracingCost {

    private static final BackendConfig BACKEND = new BackendConfig("b1", "openai", "gpt-4o-mini", URI.create("https://api.openai.com/v1"),
            null, 1, 0, null, null);
    private static final Usage USAGE = new Usage(120, 40, 0, 0, false);
    private static final RequestOutcome OUTCOME = new RequestOutcome("req-1", "main", "main", BACKEND, "app", "search", 200, null,
            USAGE, new BigDecimal("0.000123"), 1, null, false);

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        Map<String, String> withParent = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        Map<String, String> none = Map.of();
        Map<String, RequestTracer> tracers = new java.util.LinkedHashMap<>();
        tracers.put("off (no tracing block, no OTEL_* variables)|client traceparent", RequestTracer.OFF);
        tracers.put("on, sampled (ratio 1)|client traceparent, sampled", Tracers.exportingTo(new Dropping(), 1.0));
        tracers.put("on, not sampled (ratio 0)|none", Tracers.exportingTo(new Dropping(), 0.0));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("| tracing | client header | CPU ns per request, median (min–max of 5 rounds) |");
        System.out.println("|---|---|---|");
        for (Map.Entry<String, RequestTracer> t : tracers.entrySet()) {
            String[] label = t.getKey().split("\\|");
            Function<String, String> headers = (label[1].startsWith("client") ? withParent : none)::get;
            double[] ns = new double[5];
            run(t.getValue(), headers, seconds, cpu); // warm-up
            for (int round = 0; round < ns.length; round++) {
                ns[round] = run(t.getValue(), headers, seconds, cpu);
            }
            Arrays.sort(ns);
            System.out.printf("| %s | %s | %.0f (%.0f–%.0f) |%n", label[0], label[1], ns[2], ns[0], ns[4]);
            t.getValue().close();
        }
    }

    private static double run(RequestTracer tracer, Function<String, String> headers, double seconds, ThreadMXBean cpu) {
        long requests = 0;
        long start = cpu.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Map<String, String> upstreamHeaders = new HashMap<>(8);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000; i++) {
                RequestSpan request = tracer.start("chat", headers);
                AttemptSpan attempt = request.attempt("main", BACKEND, 1, false);
                UpstreamTracing.inject(upstreamHeaders::put);
                UpstreamTracing.responded(200);
                attempt.end(USAGE, null);
                if (request != RequestSpan.NONE) { // as the pipeline: no outcome is built when tracing is off
                    request.end(OUTCOME);
                }
                upstreamHeaders.clear();
            }
            requests += 1_000;
        }
        return (cpu.getCurrentThreadCpuTime() - start) / (double) requests;
    }

    /** Drops every span. */
    private static final class Dropping implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
