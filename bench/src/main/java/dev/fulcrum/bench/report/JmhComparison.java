package dev.fulcrum.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a JMH run with a baseline run, result by result (same benchmark, mode and parameters), and flags every
 * result that got worse by more than the threshold: slower for time modes, fewer operations for throughput.
 *
 * <p>Immutable.
 */
public final class JmhComparison {
    /** A change worse than this share is a regression. */
    public static final double DEFAULT_THRESHOLD = 0.10;

    /**
     * @param change   relative change of the score, current / baseline - 1 (positive = larger number)
     * @param worse    relative change in the bad direction (positive = worse), whatever the mode
     */
    public record Delta(JmhRow baseline, JmhRow current, double change, double worse, boolean regression) {
    }

    private final List<Delta> deltas;
    private final List<JmhRow> onlyInBaseline;
    private final List<JmhRow> onlyInCurrent;
    private final double threshold;

    private JmhComparison(List<Delta> deltas, List<JmhRow> onlyInBaseline, List<JmhRow> onlyInCurrent,
                          double threshold) {
        this.deltas = deltas;
        this.onlyInBaseline = onlyInBaseline;
        this.onlyInCurrent = onlyInCurrent;
        this.threshold = threshold;
    }

    public static JmhComparison of(List<JmhRow> baseline, List<JmhRow> current, double threshold) {
        final Map<String, JmhRow> byKey = new LinkedHashMap<>();
        for (JmhRow row : baseline) {
            byKey.put(row.key(), row);
        }
        final List<Delta> deltas = new ArrayList<>();
        final List<JmhRow> onlyInCurrent = new ArrayList<>();
        for (JmhRow row : current) {
            final JmhRow base = byKey.remove(row.key());
            if (base == null) {
                onlyInCurrent.add(row);
                continue;
            }
            final double change = base.score() == 0 ? 0 : row.score() / base.score() - 1;
            final double worse = row.higherIsBetter() ? -change : change;
            deltas.add(new Delta(base, row, change, worse, worse > threshold));
        }
        return new JmhComparison(deltas, new ArrayList<>(byKey.values()), onlyInCurrent, threshold);
    }

    public List<Delta> deltas() {
        return deltas;
    }

    public List<Delta> regressions() {
        return deltas.stream().filter(Delta::regression).toList();
    }

    public List<JmhRow> onlyInBaseline() {
        return onlyInBaseline;
    }

    public List<JmhRow> onlyInCurrent() {
        return onlyInCurrent;
    }

    /** The comparison table; regressions marked **REGRESSION**, then results present in one run only. */
    public String markdown(String baselineName, String currentName) {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Baseline `%s`, current `%s`; a regression is a result more than"
                + " %.0f %% worse (slower, or fewer ops for throughput). %d compared, %d regression(s).%n%n",
                baselineName, currentName, threshold * 100, deltas.size(), regressions().size()));
        out.append("| benchmark | params | mode | baseline | current | unit | change | verdict |\n");
        out.append("|---|---|---|---:|---:|---|---:|---|\n");
        for (Delta d : deltas) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %+.1f %% | %s |%n",
                    d.current().shortName(), d.current().paramsText(), d.current().mode(),
                    JmhReport.fmt(d.baseline().score()), JmhReport.fmt(d.current().score()), d.current().unit(),
                    100 * d.change(), d.regression() ? "**REGRESSION**" : d.worse() < -threshold ? "improved" : "same"));
        }
        if (!onlyInBaseline.isEmpty() || !onlyInCurrent.isEmpty()) {
            out.append('\n');
            for (JmhRow row : onlyInBaseline) {
                out.append("- only in baseline: ").append(row.shortName()).append(' ').append(row.paramsText())
                        .append('\n');
            }
            for (JmhRow row : onlyInCurrent) {
                out.append("- only in current: ").append(row.shortName()).append(' ').append(row.paramsText())
                        .append('\n');
            }
        }
        return out.toString();
    }
}
