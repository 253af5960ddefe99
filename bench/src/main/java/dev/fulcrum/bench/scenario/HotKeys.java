package dev.fulcrum.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Assigns each load connection a loopback source address, drawn from {@code sources} addresses
 * ({@code 127.0.0.2, 127.0.0.3, ...}) with Zipf popularity: address {@code k} (1-based) is chosen with probability
 * proportional to {@code 1 / k^skew}. Client-address hashing then sees a few hot keys and a long tail.
 *
 * <p>Stateless; the same seed gives the same assignment.
 */
final class HotKeys {
    private HotKeys() {
    }

    static List<String> sourceAddresses(int connections, int sources, double skew, long seed) {
        if (sources < 1 || sources > 250) {
            throw new IllegalArgumentException("hot_keys.sources must be 1..250: " + sources);
        }
        final double[] cumulative = new double[sources];
        double sum = 0;
        for (int k = 1; k <= sources; k++) {
            sum += 1 / Math.pow(k, skew);
            cumulative[k - 1] = sum;
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final List<String> out = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            final double draw = random.nextDouble() * sum;
            int k = 0;
            while (cumulative[k] < draw) {
                k++;
            }
            out.add("127.0.0." + (k + 2));
        }
        return out;
    }
}
