package dev.fulcrum.algorithms.select;

import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A feedback loop over candidate algorithms: runs each candidate for one window, scores the window by observed error
 * rate and p99 latency, runs the best for {@code exploitWindows} windows, then explores again. A plain
 * explore-then-exploit bandit: it tracks a changing backend pool because it keeps re-measuring every candidate.
 *
 * <p>Scoring: the lower error rate wins when the two differ by more than {@link #ERROR_RATE_MARGIN}; otherwise the
 * lower p99. Windows are time-based and extended until they hold {@code minSamples} responses, so an idle location
 * never switches on noise. Every decision is logged (SLF4J, INFO) and kept in {@link #decisions()} (the last
 * {@link #MAX_DECISIONS}) with the scores that led to it.
 *
 * <p>Thread-safe. {@link #select} reads the active candidate from one volatile field and delegates: the cost of a
 * pick is the candidate's plus one load. {@link #onResponse} records into an HdrHistogram {@link Recorder} (wait-free,
 * allocation-free) and feeds every candidate, so that latency-learning candidates stay informed while not active.
 * The thread whose response crosses the window end scores the window, guarded by a compare-and-set; that thread
 * allocates a little once per window, never per request. Responses to requests picked by the previous candidate can
 * land in the first moments of the next window; with windows of seconds and latencies of milliseconds the skew is
 * small and is the same for every candidate.
 */
public final class AdaptiveSelector implements Selector {
    public static final String NAME = "adaptive";

    /** Error rates closer than one percentage point count as equal, and p99 decides. */
    static final double ERROR_RATE_MARGIN = 0.01;
    static final int MAX_DECISIONS = 64;
    /** Latency recorded in microseconds up to one minute, two significant digits: about 20 KB per recorder. */
    private static final long MAX_LATENCY_MICROS = 60_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveSelector.class);

    private final String[] names;
    private final Selector[] candidates;
    private final SelectorOptions.AdaptiveOptions options;
    private final LongSupplier nanoClock;
    private final Recorder latencyMicros = new Recorder(MAX_LATENCY_MICROS, 2);
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean scoring = new AtomicBoolean();

    private volatile int active;
    private volatile long windowEndNanos;
    private volatile List<Decision> decisions = List.of();

    // Touched only by the thread holding `scoring`.
    private Histogram intervalHistogram;
    private final WindowScore[] roundScores;
    private int exploring;          // index of the candidate being explored, or -1 while exploiting
    private int exploitLeft;

    /**
     * @param candidates the algorithms to compare, at least two, in exploration order
     * @param options    window length, minimum samples, exploit windows
     * @param nanoClock  monotonic time in nanoseconds (tests step it)
     */
    public AdaptiveSelector(List<Selector> candidates, SelectorOptions.AdaptiveOptions options, LongSupplier nanoClock) {
        if (candidates.size() < 2) {
            throw new IllegalArgumentException("adaptive needs at least two candidate algorithms");
        }
        this.candidates = candidates.toArray(new Selector[0]);
        this.names = new String[this.candidates.length];
        for (int i = 0; i < this.candidates.length; i++) {
            if (this.candidates[i] instanceof AdaptiveSelector || this.candidates[i] instanceof StickySessionSelector) {
                throw new IllegalArgumentException("adaptive candidates must be plain algorithms");
            }
            names[i] = this.candidates[i].name();
        }
        this.options = Objects.requireNonNull(options, "options");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.roundScores = new WindowScore[this.candidates.length];
        this.exploring = 0;
        this.active = 0;
        this.windowEndNanos = nanoClock.getAsLong() + options.windowNanos();
    }

    static Selector create(SelectorOptions options) {
        final List<Selector> candidates = new ArrayList<>();
        for (String name : options.adaptive().candidates()) {
            final String canonical = SelectorFactory.canonicalName(name);
            if (canonical == null || !SelectorFactory.isPlainAlgorithm(canonical)) {
                throw new IllegalArgumentException("adaptive candidate \"" + name + "\" is not a plain algorithm");
            }
            candidates.add(SelectorFactory.create(canonical, options));
        }
        return new AdaptiveSelector(candidates, options.adaptive(), System::nanoTime);
    }

    @Override
    public int select(BackendSnapshot snapshot, RequestKey key) {
        return candidates[active].select(snapshot, key);
    }

    @Override
    public void prepare(BackendSnapshot snapshot) {
        for (Selector candidate : candidates) {
            candidate.prepare(snapshot);
        }
    }

    @Override
    public void onResponse(BackendState state, long latencyNanos, boolean success) {
        for (Selector candidate : candidates) {
            candidate.onResponse(state, latencyNanos, success);
        }
        latencyMicros.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0L, latencyNanos / 1000L)));
        samples.getAndIncrement();
        if (!success) {
            failures.getAndIncrement();
        }
        final long now = nanoClock.getAsLong();
        if (now - windowEndNanos >= 0 && scoring.compareAndSet(false, true)) {
            try {
                endWindow(now);
            } finally {
                scoring.set(false);
            }
        }
    }

    /** Scores the window that just ended and decides which candidate runs next. */
    private void endWindow(long now) {
        if (now - windowEndNanos < 0) {
            return;    // another thread closed this window between our check and our CAS
        }
        final long n = samples.get();
        if (n < options.minSamples()) {
            windowEndNanos = now + options.windowNanos();   // too few responses to judge: extend
            return;
        }
        intervalHistogram = latencyMicros.getIntervalHistogram(intervalHistogram);
        final long failed = failures.getAndSet(0);
        samples.getAndAdd(-n);
        final int current = active;
        final WindowScore score = new WindowScore(names[current], n, intervalHistogram.getValueAtPercentile(99.0),
                Math.min(1.0, failed / (double) n));
        if (exploring >= 0) {
            roundScores[exploring] = score;
            exploring++;
            if (exploring < candidates.length) {
                switchTo(exploring, now, "exploring", List.of(score));
            } else {
                final int best = best(roundScores);
                exploring = -1;
                exploitLeft = options.exploitWindows();
                switchTo(best, now, "best of round", List.of(roundScores));
            }
        } else if (--exploitLeft <= 0) {
            exploring = 0;
            switchTo(0, now, "re-exploring after " + options.exploitWindows() + " windows", List.of(score));
        }
        windowEndNanos = now + options.windowNanos();
    }

    private void switchTo(int next, long now, String reason, List<WindowScore> scores) {
        final int previous = active;
        active = next;
        final Decision decision = new Decision(now, names[previous], names[next], reason, scores);
        final List<Decision> history = new ArrayList<>(decisions);
        if (history.size() == MAX_DECISIONS) {
            history.remove(0);
        }
        history.add(decision);
        decisions = List.copyOf(history);
        if (LOG.isInfoEnabled()) {
            LOG.info("adaptive: {} -> {} ({}): {}", decision.from(), decision.to(), reason, scores);
        }
    }

    /** Lowest error rate, unless within the margin of the lowest; among those, the lowest p99. */
    static int best(WindowScore[] scores) {
        double lowestErrorRate = Double.MAX_VALUE;
        for (WindowScore s : scores) {
            lowestErrorRate = Math.min(lowestErrorRate, s.errorRate());
        }
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].errorRate() > lowestErrorRate + ERROR_RATE_MARGIN) {
                continue;
            }
            if (best < 0 || scores[i].p99Micros() < scores[best].p99Micros()) {
                best = i;
            }
        }
        return best;
    }

    /** The canonical name of the candidate picking now. */
    public String activeAlgorithm() {
        return names[active];
    }

    /** Candidate names in exploration order. */
    public List<String> candidateNames() {
        return List.of(names);
    }

    /** The most recent switching decisions, oldest first; immutable (for logs, tests and the admin API). */
    public List<Decision> decisions() {
        return decisions;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * What one window of one candidate showed.
     *
     * @param algorithm candidate that was active
     * @param samples   responses in the window
     * @param p99Micros 99th percentile latency, microseconds (two significant digits)
     * @param errorRate failed responses / samples
     */
    public record WindowScore(String algorithm, long samples, long p99Micros, double errorRate) {
        @Override
        public String toString() {
            return String.format("%s{n=%d p99=%dus err=%.2f%%}", algorithm, samples, p99Micros, errorRate * 100);
        }
    }

    /**
     * One switch.
     *
     * @param atNanos when, on the selector's nano clock
     * @param from    candidate active before
     * @param to      candidate active after (may equal {@code from} when the winner was already running)
     * @param reason  "exploring", "best of round" or "re-exploring ..."
     * @param scores  the window scores that led to it
     */
    public record Decision(long atNanos, String from, String to, String reason, List<WindowScore> scores) {
        public Decision {
            scores = List.copyOf(scores);
        }
    }
}
