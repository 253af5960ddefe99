package dev.fulcrum.bench.report.jmh;

import dev.fulcrum.bench.report.JmhReport;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report is made from JMH's JSON as JMH writes it, and the targets are judged from the numbers. */
class JmhAlgorithmsReportTest {
    private static String result(String benchmark, int threads, String params, double score, double bytes,
                                 String unit) {
        return "{\"benchmark\":\"dev.fulcrum.bench.jmh.algorithms." + benchmark + "\",\"mode\":\"avgt\","
                + "\"threads\":" + threads + ",\"forks\":1,\"jdkVersion\":\"17.0.15\",\"vmName\":\"OpenJDK\","
                + "\"vmVersion\":\"17\",\"warmupIterations\":3,\"warmupTime\":\"1 s\",\"measurementIterations\":5,"
                + "\"measurementTime\":\"1 s\",\"params\":{" + params + "},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":0.5,\"scoreUnit\":\"" + unit + "\"},"
                + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + bytes + ",\"scoreUnit\":\"B/op\"}}}";
    }

    @Test
    void writesTablesChartAndVerdicts(@TempDir Path dir) throws Exception {
        final Path json = dir.resolve("r.json");
        Files.writeString(json, "[" + String.join(",",
                result("SelectorBenchmark.select", 1, "\"algorithm\":\"maglev\",\"backends\":\"64\"", 6.5, 0.0001,
                        "ns/op"),
                result("SelectorBenchmark.select", 1, "\"algorithm\":\"sticky-session\",\"backends\":\"64\"", 37.0,
                        0.0001, "ns/op"),
                result("SelectorBenchmark.select", 1, "\"algorithm\":\"random\",\"backends\":\"64\"", 4.0, 24.0,
                        "ns/op"),
                result("SelectorBenchmark.select", 2, "\"algorithm\":\"maglev\",\"backends\":\"64\"", 11.0, 0.0001,
                        "ns/op"),
                result("TableBuildBenchmark.maglev", 1, "\"backends\":\"100\"", 2500.0, 264646, "us/op")) + "]");
        final Path km = dir.resolve("km.txt");
        Files.writeString(km, "noise\nkey-movement maglev N=10: removing 1 backend moved 10.2 % of keys\n");
        final Path out = dir.resolve("out");
        JmhAlgorithmsReport.main(new String[] {"--out", out.toString(), "--sha", "abc123", "--command", "run it",
                "--note", "a note", "--key-movement", km.toString(), json.toString()});

        final String md = Files.readString(out.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("| git sha | `abc123` |"), md);
        assertTrue(md.contains("run it") && md.contains("- a note"), md);
        assertTrue(md.contains("| maglev: <= 25 ns/op and 0 B/op at 64 backends, 1 thread | 6.5 ns, 0.0 B/op | PASS |"), md);
        assertTrue(md.contains("| sticky-session: <= 25 ns/op and 0 B/op at 64 backends, 1 thread | 37.0 ns, 0.0 B/op | MISS |"), md);
        assertTrue(md.contains("| random: <= 25 ns/op and 0 B/op at 64 backends, 1 thread | 4.0 ns, 24.0 B/op | MISS |"),
                "allocation is a miss even when fast: " + md);
        assertTrue(md.contains("| Maglev table for 100 backends built in <= 3 ms | 2500 us | PASS |"), md);
        assertTrue(md.contains("| maglev | - | 6.5 ns (0.0 B/op) | - | - | 11.0 ns (0.0 B/op) | - |"), md);
        assertTrue(md.contains("maglev N=10: removing 1 backend moved 10.2 % of keys"), md);
        final BufferedImage png = ImageIO.read(out.resolve(JmhAlgorithmsReport.CHART).toFile());
        assertEquals(1100, png.getWidth(), "a PNG of the chart's size");
        assertEquals(560, png.getHeight());
    }

    @Test
    void chartHasOneBarPerAlgorithmAndThreadCountAt64BackendsOnALogAxis(@TempDir Path dir) throws Exception {
        final Path json = dir.resolve("r.json");
        Files.writeString(json, "[" + String.join(",",
                result("SelectorBenchmark.select", 1, "\"algorithm\":\"maglev\",\"backends\":\"64\"", 6.5, 0, "ns/op"),
                result("SelectorBenchmark.select", 1, "\"algorithm\":\"maglev\",\"backends\":\"1024\"", 1500.0, 0,
                        "ns/op"),
                result("SelectorBenchmark.select", 1, "\"algorithm\":\"bounded-load\",\"backends\":\"64\"", 247.5,
                        0, "ns/op"),
                result("SelectorBenchmark.select", 2, "\"algorithm\":\"maglev\",\"backends\":\"64\"", 11.0, 0,
                        "ns/op")) + "]");
        final JFreeChart chart = new JmhAlgorithmsReport(JmhReport.read(json), "abc", List.of(), List.of(), List.of())
                .chart();

        final CategoryDataset data = chart.getCategoryPlot().getDataset();
        assertEquals(List.of("1 thread", "2 threads"), data.getRowKeys());
        assertEquals(List.of("maglev", "bounded-load"), data.getColumnKeys(), "only the 64-backend rows");
        assertEquals(6.5, data.getValue("1 thread", "maglev").doubleValue());
        assertEquals(11.0, data.getValue("2 threads", "maglev").doubleValue());
        assertEquals(247.5, data.getValue("1 thread", "bounded-load").doubleValue());
        assertNull(data.getValue("2 threads", "bounded-load"), "no run, no bar");
        final LogAxis y = assertInstanceOf(LogAxis.class, chart.getCategoryPlot().getRangeAxis());
        assertEquals(1.0, y.getLowerBound());
        assertEquals(1000.0, y.getUpperBound(), 1e-9, "the decade above the slowest score");
    }
}
