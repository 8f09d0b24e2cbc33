package dev.tollgate.operator;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;

/**
 * What the operator's registry carries besides its own gauges: JOSDK's reconciliation metrics (per controller) and the
 * JVM's memory, GC, thread and CPU meters.
 */
final class OperatorMetrics {

    private OperatorMetrics() {
    }

    /**
     * JOSDK's metrics under JOSDK's own names ({@code reconciliations_started_total{controller_name}} …), so JOSDK's
     * dashboards work unchanged. V2, because V1 ({@code operator_sdk_*}) is deprecated for removal and, per
     * controller, published ~70 histogram buckets and gauges named after the controller. Tagged by controller only,
     * not by namespace: a series per team namespace would grow with every tenant.
     */
    static Metrics josdk(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }

    /** Binds the JVM meters; close the result to stop listening for GC notifications. */
    static AutoCloseable jvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }
}
