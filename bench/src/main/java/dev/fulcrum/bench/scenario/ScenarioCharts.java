package dev.fulcrum.bench.scenario;

import dev.fulcrum.bench.loadgen.IntervalSample;
import dev.fulcrum.bench.report.PngCharts;
import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;

/**
 * The PNG charts of a scenario report (JFreeChart, headless): latency percentile spectrum per algorithm with the x
 * axis in nines, throughput over time (2xx responses per second: errors show as dips), share per backend.
 *
 * <p>Stateless.
 */
public final class ScenarioCharts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    /** The spectrum goes to five nines (99.999 %), in steps of a tenth of a nine. */
    private static final double MAX_NINES = 5.0;

    private ScenarioCharts() {
    }

    public static void write(String scenario, List<AlgorithmRun> runs, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        PngCharts.save(spectrum(scenario, runs), dir.resolve(ScenarioReport.LATENCY_CHART), WIDTH, HEIGHT);
        PngCharts.save(throughput(scenario, runs), dir.resolve(ScenarioReport.THROUGHPUT_CHART), WIDTH, HEIGHT);
        PngCharts.save(share(scenario, runs), dir.resolve(ScenarioReport.SHARE_CHART), WIDTH, HEIGHT);
    }

    static JFreeChart spectrum(String scenario, List<AlgorithmRun> runs) {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (AlgorithmRun run : runs) {
            final Histogram h = run.load().correctedMicros();
            final XYSeries series = new XYSeries(run.label());
            if (h.getTotalCount() > 0) {
                for (double nines = 0; nines <= MAX_NINES + 1e-9; nines += 0.1) {
                    final double percentile = 100 * (1 - Math.pow(10, -nines));
                    series.add(nines, Math.max(0.001, h.getValueAtPercentile(percentile) / 1000.0));
                }
            }
            data.addSeries(series);
        }
        final JFreeChart chart = ChartFactory.createXYLineChart(scenario + ": latency by percentile (corrected)",
                "percentile", "latency (ms, log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        final XYPlot plot = chart.getXYPlot();
        final NumberAxis x = new NumberAxis("percentile");
        x.setRange(0, MAX_NINES);
        x.setTickUnit(new NumberTickUnit(1, new NinesFormat()));
        plot.setDomainAxis(x);
        plot.setRangeAxis(PngCharts.decadeAxis("latency (ms, log scale)"));
        return styled(chart);
    }

    static JFreeChart throughput(String scenario, List<AlgorithmRun> runs) {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (AlgorithmRun run : runs) {
            final XYSeries series = new XYSeries(run.label());
            for (IntervalSample sample : run.load().intervals()) {
                series.add(sample.endSeconds(), sample.successRatePerSecond());
            }
            data.addSeries(series);
        }
        return styled(ChartFactory.createXYLineChart(scenario + ": successful (2xx) responses per second",
                "seconds into the measured phase", "2xx responses per second", data, PlotOrientation.VERTICAL, true, false,
                false));
    }

    static JFreeChart share(String scenario, List<AlgorithmRun> runs) {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (AlgorithmRun run : runs) {
            final long total = run.servedTotal();
            run.served().forEach((origin, n) -> data.addValue(total == 0 ? 0 : 100.0 * n / total, run.label(),
                    origin));
        }
        return PngCharts.barChart(scenario + ": share of responses per backend", "backend", "% of responses", data);
    }

    /** White background and light grid: the charts are read on a page, not a screen. */
    private static JFreeChart styled(JFreeChart chart) {
        final XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    /** Axis labels for nines: 0 -> 0%, 1 -> 90%, 2 -> 99%, 3 -> 99.9%, ... */
    private static final class NinesFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double nines, StringBuffer to, FieldPosition pos) {
            final double percentile = 100 * (1 - Math.pow(10, -nines));
            final DecimalFormat f = new DecimalFormat("0.#####", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
            return to.append(f.format(percentile)).append('%');
        }

        @Override
        public StringBuffer format(long nines, StringBuffer to, FieldPosition pos) {
            return format((double) nines, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }
    }
}
