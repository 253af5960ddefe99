package dev.fulcrum.bench.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.fulcrum.bench.demo.LatencyProfile;
import dev.fulcrum.core.config.Durations;

import java.util.List;
import java.util.Map;

/**
 * A scenario file, as read from YAML (snake_case keys). See {@code bench/scenarios/README.md} for the schema.
 *
 * <p>Immutable data; {@link ScenarioLoader} validates it.
 */
public record ScenarioSpec(String name, String description, Long seed, List<OriginSpec> origins,
                           List<EventSpec> events, Map<String, Object> proxy, LoadSpec load,
                           List<String> algorithms, List<VariantSpec> variants) {
    public ScenarioSpec {
        events = events == null ? List.of() : List.copyOf(events);
        variants = variants == null ? List.of() : List.copyOf(variants);
        proxy = proxy == null ? Map.of() : Map.copyOf(proxy);
        seed = seed == null ? 1L : seed;
        description = description == null ? "" : description;
    }

    /**
     * One proxy setting to compare: with variants, every algorithm runs once per variant, its proxy keys merged over
     * the scenario's own {@code proxy} keys (for example outlier detection off and on).
     *
     * @param name   shown next to the algorithm in the report
     * @param proxy  Fulcrum config keys added last; empty for the scenario's proxy keys alone
     */
    public record VariantSpec(String name, Map<String, Object> proxy) {
        public VariantSpec {
            proxy = proxy == null ? Map.of() : Map.copyOf(proxy);
        }
    }

    /**
     * One origin, or {@code count} identical ones named {@code name1..nameN}.
     *
     * @param weight          the proxy's weight for it
     * @param maxConnections  the proxy's max_connections for it (0: the proxy's default)
     * @param errorRate       share answered 500 at once
     * @param capacity        requests it serves concurrently; more wait (0: unlimited)
     */
    public record OriginSpec(String name, Integer count, Integer weight,
                             @JsonProperty("max_connections") Integer maxConnections, LatencySpec latency,
                             @JsonProperty("error_rate") Double errorRate, Integer capacity) {
        public int countOrOne() {
            return count == null ? 1 : count;
        }
    }

    /** A latency distribution: constant (ms), uniform (from_ms, to_ms), lognormal (median_ms, sigma), bimodal. */
    public record LatencySpec(String distribution, Double ms, @JsonProperty("from_ms") Double fromMs,
                              @JsonProperty("to_ms") Double toMs, @JsonProperty("median_ms") Double medianMs,
                              Double sigma, @JsonProperty("fast_ms") Double fastMs,
                              @JsonProperty("slow_ms") Double slowMs, @JsonProperty("slow_share") Double slowShare) {
        LatencyProfile profile() {
            switch (distribution == null ? "" : distribution) {
                case "constant":
                    return LatencyProfile.constantMillis(need(ms, "ms"));
                case "uniform":
                    return LatencyProfile.uniformMillis(need(fromMs, "from_ms"), need(toMs, "to_ms"));
                case "lognormal":
                    return LatencyProfile.lognormalMillis(need(medianMs, "median_ms"), need(sigma, "sigma"));
                case "bimodal":
                    return LatencyProfile.bimodalMillis(need(fastMs, "fast_ms"), need(slowMs, "slow_ms"),
                            need(slowShare, "slow_share"));
                default:
                    throw new IllegalArgumentException("latency.distribution must be constant, uniform, lognormal"
                            + " or bimodal: " + distribution);
            }
        }

        private double need(Double value, String key) {
            if (value == null) {
                throw new IllegalArgumentException("latency '" + distribution + "' needs " + key);
            }
            return value;
        }
    }

    /**
     * Something that happens to origins at a time after the measured phase starts.
     *
     * @param at      Go-style duration from the start of the measured phase
     * @param origin  the origin's name (as expanded: {@code b3})
     * @param action  slow_down (with factor), fail, recover, kill, restart
     */
    public record EventSpec(String at, String origin, String action, Double factor) {
        long atNanos() {
            return Durations.parseNanos(at);
        }
    }

    /**
     * The load every algorithm gets.
     *
     * @param rate      requests per second (open loop); "max" for closed loop
     * @param hotKeys   connections come from {@code sources} loopback addresses with Zipf-skewed popularity, so
     *                  client-address hashing sees hot keys
     */
    public record LoadSpec(String rate, Integer connections, Integer threads, String duration, String warmup,
                           String timeout, List<String> paths, @JsonProperty("hot_keys") HotKeysSpec hotKeys) {
    }

    /** @param sources distinct client addresses; @param skew Zipf exponent (1 ~ web traffic; 0 = uniform) */
    public record HotKeysSpec(Integer sources, Double skew) {
        public HotKeysSpec {
            sources = sources == null ? 16 : sources;
            skew = skew == null ? 1.0 : skew;
        }
    }
}
