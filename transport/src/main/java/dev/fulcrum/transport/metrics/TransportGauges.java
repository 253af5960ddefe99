package dev.fulcrum.transport.metrics;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Transport and buffer-pool gauges, read at scrape time from Netty: open client connections, tasks waiting on each
 * event loop, bytes held by the buffer allocator, and Netty's direct-memory counter.
 *
 * <p>Registration happens once, on the control thread; the callbacks run on the scrape thread and only read.
 */
public final class TransportGauges {
    private TransportGauges() {
    }

    public static void register(PrometheusRegistry registry, ChannelGroup clients, EventExecutorGroup loops,
                                String transport) {
        GaugeWithCallback.builder().name("fulcrum_client_connections")
                .help("Client connections currently open").labelNames("transport")
                .callback(cb -> cb.call(clients.size(), transport)).register(registry);
        GaugeWithCallback.builder().name("fulcrum_event_loop_pending_tasks")
                .help("Tasks queued on each event loop (a growing queue means a saturated loop)").labelNames("loop")
                .callback(cb -> {
                    int i = 0;
                    for (EventExecutor executor : loops) {
                        if (executor instanceof SingleThreadEventExecutor) {
                            cb.call(((SingleThreadEventExecutor) executor).pendingTasks(), Integer.toString(i));
                        }
                        i++;
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("netty_allocator_used_bytes")
                .help("Memory held by Netty's default buffer allocator").labelNames("allocator", "kind")
                .callback(cb -> {
                    final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
                    if (allocator instanceof ByteBufAllocatorMetricProvider) {
                        final ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) allocator).metric();
                        final String name = allocator.getClass().getSimpleName();
                        cb.call(metric.usedDirectMemory(), name, "direct");
                        cb.call(metric.usedHeapMemory(), name, "heap");
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("netty_allocator_pooled_arenas")
                .help("Arenas of the pooled allocator (0 when the default allocator is not pooled)")
                .labelNames("kind")
                .callback(cb -> {
                    if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator) {
                        final PooledByteBufAllocatorMetric m = ((PooledByteBufAllocator) ByteBufAllocator.DEFAULT).metric();
                        cb.call(m.numDirectArenas(), "direct");
                        cb.call(m.numHeapArenas(), "heap");
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("netty_direct_memory_used_bytes")
                .help("Direct memory Netty has reserved (-1 when Netty does not track it)")
                .callback(cb -> cb.call(PlatformDependent.usedDirectMemory())).register(registry);
    }
}
