package dev.fulcrum.bench.loadgen;

import dev.fulcrum.transport.io.TransportChooser;
import dev.fulcrum.transport.io.TransportKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One load run: starts the connections, samples them once per interval (progress line, interval log, time series),
 * resets the recording when the warmup ends, stops sending at the deadline, waits for what is in flight, and returns
 * a {@link LoadResult}.
 *
 * <p>{@link #run} is called on one control thread, which owns the accumulators; connections run on the generator's
 * own event loop group, created and shut down here.
 */
public final class LoadRun {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Connections get this long to connect before the first request is due, so set-up is not counted as delay. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Responses get at most this long after the deadline (or --timeout, if shorter) to complete. */
    private static final long MAX_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final LoadgenOptions options;
    private final ChannelGroup channels = new DefaultChannelGroup("loadgen", GlobalEventExecutor.INSTANCE);
    private volatile boolean sending = true;

    private LoadRun(LoadgenOptions options) {
        this.options = options;
    }

    /**
     * Runs the load and returns what it measured.
     *
     * @param progress     one line per interval; may be null
     * @param intervalLog  where to write the interval histogram log; may be null
     * @param onInterval   called on this thread after each measured interval; may be null
     * @throws dev.fulcrum.transport.io.TransportUnavailableException when a forced transport cannot run here
     */
    public static LoadResult run(LoadgenOptions options, PrintWriter progress, HistogramLogWriter intervalLog,
                                 Consumer<IntervalSample> onInterval) throws InterruptedException {
        return new LoadRun(options).execute(progress, intervalLog, onInterval);
    }

    LoadgenOptions options() {
        return options;
    }

    boolean sending() {
        return sending;
    }

    void register(Channel channel) {
        channels.add(channel);
    }

    private LoadResult execute(PrintWriter progress, HistogramLogWriter intervalLog,
                               Consumer<IntervalSample> onInterval) throws InterruptedException {
        final TransportKind transport = TransportChooser.choose(options.transport());
        final MultiThreadIoEventLoopGroup group =
                new MultiThreadIoEventLoopGroup(options.threads(), transport.ioHandlerFactory());
        final List<RequestTemplate> templates = new ArrayList<>();
        for (var target : options.targets()) {
            templates.add(new RequestTemplate(target, options.method(), options.headers(), options.body()));
        }
        try {
            final List<EventLoop> loops = new ArrayList<>();
            final List<LoopStats> stats = new ArrayList<>();
            for (EventExecutor executor : group) {
                loops.add((EventLoop) executor);
                stats.add(new LoopStats());
            }
            final long start = System.nanoTime();
            final long firstDue = start + START_DELAY_NANOS;
            final double spacingNanos = options.openLoop() ? 1e9 / options.ratePerSecond() : 0;
            for (int i = 0; i < options.connections(); i++) {
                final int loopIndex = i % loops.size();
                final EventLoop loop = loops.get(loopIndex);
                final RequestTemplate template = templates.get(i % templates.size());
                final InetSocketAddress remote = new InetSocketAddress(template.target().getHost(), template.port());
                final List<String> sources = options.sourceAddresses();
                final InetSocketAddress local = sources.isEmpty() ? null
                        : new InetSocketAddress(sources.get(i % sources.size()), 0);
                final LoadConnection connection = new LoadConnection(this, stats.get(loopIndex), template, loop,
                        bootstrap(loop, transport, template.head()), remote, local,
                        firstDue + (long) (i * spacingNanos));
                loop.execute(connection::start);
            }
            return sample(start, loops, stats, progress, intervalLog, onInterval, transport);
        } finally {
            sending = false;
            channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            for (RequestTemplate template : templates) {
                template.release();
            }
        }
    }

    private Bootstrap bootstrap(EventLoop loop, TransportKind transport, boolean head) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(options.timeoutNanos())))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpResponseDecoder(4096, MAX_HEADER_BYTES, 8192) {
                            @Override
                            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                                return head || super.isContentAlwaysEmpty(msg);
                            }
                        });
                    }
                });
    }

    private LoadResult sample(long start, List<EventLoop> loops, List<LoopStats> stats, PrintWriter progress,
                              HistogramLogWriter intervalLog, Consumer<IntervalSample> onInterval,
                              TransportKind transport)
            throws InterruptedException {
        final long warmupEnd = start + options.warmupNanos();
        final long end = warmupEnd + options.durationNanos();
        final Histogram corrected = new Histogram(3);
        final Histogram uncorrected = new Histogram(3);
        final Histogram scheduling = new Histogram(3);
        final Histogram intervalCorrected = new Histogram(3);
        final Histogram intervalUncorrected = new Histogram(3);
        final Histogram intervalScheduling = new Histogram(3);
        final List<IntervalSample> series = new ArrayList<>();
        Map<Counter, Long> last = totals(stats);
        Map<Counter, Long> atMeasureStart = last;
        long intervalStart = start;
        boolean measuring = options.warmupNanos() == 0;
        if (intervalLog != null) {
            intervalLog.outputLogFormatVersion();
            intervalLog.outputStartTime(System.currentTimeMillis());
            intervalLog.setBaseTime(System.currentTimeMillis());
            intervalLog.outputLegend();
        }
        while (true) {
            final long boundary = measuring ? Math.min(end, intervalStart + INTERVAL_NANOS)
                    : Math.min(warmupEnd, intervalStart + INTERVAL_NANOS);
            sleepUntil(boundary);
            final long now = System.nanoTime();
            final boolean finalInterval = measuring && now >= end;
            if (finalInterval) {
                sending = false;
                // A loop may have decided to send just before the flag flipped; once each loop has run a task queued
                // after the flip, every send is counted, and the in-flight count below is exact.
                passEveryLoop(loops);
                awaitInFlight(stats);
                // Completions are counted and recorded in one loop task: after this pass none is half done.
                passEveryLoop(loops);
            }
            intervalCorrected.reset();
            intervalUncorrected.reset();
            intervalScheduling.reset();
            for (LoopStats loop : stats) {
                loop.drainInto(intervalCorrected, intervalUncorrected, intervalScheduling);
            }
            final Map<Counter, Long> current = totals(stats);
            final long completed = current.get(Counter.COMPLETED) - last.get(Counter.COMPLETED);
            final long errors = errors(current) - errors(last);
            final double seconds = (now - intervalStart) / 1e9;
            if (measuring) {
                corrected.add(intervalCorrected);
                uncorrected.add(intervalUncorrected);
                scheduling.add(intervalScheduling);
                if (intervalLog != null) {
                    intervalCorrected.setStartTimeStamp(System.currentTimeMillis() - Math.round(seconds * 1000));
                    intervalCorrected.setEndTimeStamp(System.currentTimeMillis());
                    intervalLog.outputIntervalHistogram(intervalCorrected);
                }
                final IntervalSample sample = new IntervalSample(Math.min(now, end) - warmupEnd < 0 ? 0
                        : (Math.min(now, end) - warmupEnd) / 1e9, seconds, completed,
                        current.get(Counter.STATUS_2XX) - last.get(Counter.STATUS_2XX), errors,
                        percentileMillis(intervalCorrected, 50), percentileMillis(intervalCorrected, 99));
                series.add(sample);
                if (onInterval != null) {
                    onInterval.accept(sample);
                }
            }
            say(progress, String.format(java.util.Locale.ROOT,
                    "loadgen %6.1fs %s rate %8.0f/s  errors %d  p99 so far %.3f ms", (now - start) / 1e9,
                    measuring ? "      " : "warmup", seconds > 0 ? completed / seconds : 0.0, errors,
                    percentileMillis(measuring ? corrected : intervalCorrected, 99)));
            last = current;
            intervalStart = now;
            if (!measuring && now >= warmupEnd) {
                measuring = true;
                atMeasureStart = current;
            }
            if (finalInterval) {
                return LoadResult.of(options, transport.configName(), (end - warmupEnd), delta(current, atMeasureStart),
                        corrected, uncorrected, scheduling, series);
            }
        }
    }

    private static void passEveryLoop(List<EventLoop> loops) throws InterruptedException {
        for (EventLoop loop : loops) {
            loop.submit(() -> { }).await(1, TimeUnit.SECONDS);
        }
    }

    /** Lets requests sent before the deadline complete, up to the grace time. */
    private void awaitInFlight(List<LoopStats> stats) throws InterruptedException {
        final long deadline = System.nanoTime() + Math.min(MAX_GRACE_NANOS, options.timeoutNanos());
        while (System.nanoTime() < deadline) {
            final Map<Counter, Long> now = totals(stats);
            final long outstanding = now.get(Counter.SENT) - now.get(Counter.COMPLETED) - now.get(Counter.TIMEOUT)
                    - now.get(Counter.CLOSED) - now.get(Counter.PROTOCOL_ERROR);
            if (outstanding <= 0) {
                return;
            }
            Thread.sleep(2);
        }
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static Map<Counter, Long> totals(List<LoopStats> stats) {
        final Map<Counter, Long> totals = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            long sum = 0;
            for (LoopStats loop : stats) {
                sum += loop.count(counter);
            }
            totals.put(counter, sum);
        }
        return totals;
    }

    private static Map<Counter, Long> delta(Map<Counter, Long> now, Map<Counter, Long> before) {
        final Map<Counter, Long> delta = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            delta.put(counter, now.get(counter) - before.get(counter));
        }
        return delta;
    }

    private static long errors(Map<Counter, Long> counts) {
        long sum = 0;
        for (Map.Entry<Counter, Long> e : counts.entrySet()) {
            if (e.getKey().isError()) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    static double percentileMillis(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    private static void say(PrintWriter progress, String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
