package dev.fulcrum.bench.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.CategoryDataset;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * The JFreeChart charts of the generated reports (scenario pages, the algorithms' JMH page), drawn the same way: white
 * background and light grid, because they are read on a page, not a screen; written as PNG without a display.
 *
 * <p>Stateless.
 */
public final class PngCharts {
    static {
        // Before the first chart touches AWT: reports are written on build machines with no display.
        System.setProperty("java.awt.headless", "true");
    }

    private PngCharts() {
    }

    /** Vertical grouped bars: one group per column key of {@code data}, one bar per row key (the legend). */
    public static JFreeChart barChart(String title, String categoryAxis, String valueAxis, CategoryDataset data) {
        final JFreeChart chart = ChartFactory.createBarChart(title, categoryAxis, valueAxis, data,
                PlotOrientation.VERTICAL, true, false, false);
        final CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    /** A log axis with one labelled tick per power of ten (1, 10, 100, ...) and nine minor ticks between. */
    public static LogAxis decadeAxis(String label) {
        final LogAxis axis = new LogAxis(label);
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(1.0)); // the unit of a LogAxis is in powers of its base (10)
        axis.setNumberFormatOverride(new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        return axis;
    }

    public static void save(JFreeChart chart, Path png, int width, int height) throws IOException {
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }
}
