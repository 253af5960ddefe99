package dev.fulcrum.bench.peers;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * Everything a comparison produced: the rows and what the report must say about how they were made.
 *
 * @param rows           one per (proxy, payload, load mode), in run order
 * @param versions       each proxy that ran, with its version
 * @param skipped        each proxy that did not run, with the reason
 * @param layout         where things ran (cores), as one sentence
 * @param loadTransport  the load generator's and origins' transport
 */
@JsonPropertyOrder({"layout", "loadTransport", "versions", "skipped", "rows"})
public record PeerBenchResult(List<PeerRow> rows, Map<String, String> versions, Map<String, String> skipped,
                              String layout, String loadTransport) {
    public PeerBenchResult {
        rows = List.copyOf(rows);
        versions = Map.copyOf(versions);
        skipped = Map.copyOf(skipped);
    }
}
