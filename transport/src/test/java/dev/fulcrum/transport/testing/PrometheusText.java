package dev.fulcrum.transport.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed Prometheus text exposition: sample name with its label set, to value. Enough for tests to check a scrape
 * against the traffic they sent; fails on a line that is not a comment or a sample.
 */
public final class PrometheusText {
    private final Map<String, Double> samples = new LinkedHashMap<>();

    public PrometheusText(String text) {
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            if (space < 0) {
                throw new AssertionError("not a sample line: " + line);
            }
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /**
     * The value of the sample with this name whose labels include every {@code label=value} pair given, summed over
     * all such samples; 0 when none.
     */
    public double sum(String name, String... labelPairs) {
        double total = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            final String key = e.getKey();
            final int brace = key.indexOf('{');
            final String sampleName = brace < 0 ? key : key.substring(0, brace);
            if (!sampleName.equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (!key.contains(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"")) {
                    all = false;
                    break;
                }
            }
            if (all) {
                total += e.getValue();
            }
        }
        return total;
    }

    public boolean has(String name) {
        for (String key : samples.keySet()) {
            if (key.equals(name) || key.startsWith(name + "{")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return samples.toString();
    }
}
