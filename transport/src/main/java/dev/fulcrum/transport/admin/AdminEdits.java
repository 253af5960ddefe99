package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.BackendConfig;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.RoutingTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reload undoes of the backend changes made through the admin API. The config file is the source of truth: a
 * reload builds every location's backends from it, so a backend added at run time that the file does not list is
 * dropped, one removed at run time that the file lists comes back, and weights, caps and algorithms set at run time
 * return to the file's. Each is reported as a reload warning, in the API answer and the log, so the loss is never silent.
 *
 * <p>Stateless; control thread only (it reads the pools' member lists).
 */
final class AdminEdits {
    private AdminEdits() {
    }

    /**
     * @param before the table in force, holding the admin API's changes
     * @param after  the table the reload built from the file (published or not)
     * @return one line per change the reload undoes, empty when the API changed nothing the file contradicts
     */
    static List<String> undoneBy(RoutingTable before, RoutingTable after) {
        final List<String> out = new ArrayList<>();
        for (Location old : before.locations()) {
            final Map<String, BackendConfig> file = byKey(old.config().backends());
            final Map<String, BackendConfig> live = byKey(old.pool().backends());
            final Location now = after.find(old.serviceName(), old.path());
            final Map<String, BackendConfig> next = now == null ? Map.of() : byKey(now.pool().backends());
            final String at = "service " + old.serviceName() + " location " + old.path() + ": ";
            if (now != null && old.config().algorithm().equals(now.config().algorithm())
                    && !old.pool().algorithm().equals(now.pool().algorithm())) {
                // The file kept its algorithm, so the running one came from PUT /api/config.
                out.add(at + "algorithm " + old.pool().algorithm() + " was set through the admin API: the reload set"
                        + " it back to the config file's " + now.pool().algorithm());
            }
            final String where = at + "backend ";
            for (Map.Entry<String, BackendConfig> e : live.entrySet()) {
                final BackendConfig listed = file.get(e.getKey());
                final BackendConfig reloaded = next.get(e.getKey());
                if (listed == null && reloaded == null) {
                    out.add(where + e.getValue().url() + " was added through the admin API and is not in the"
                            + " config file: the reload removed it");
                } else if (listed != null && !listed.equals(e.getValue()) && reloaded != null
                        && !reloaded.equals(e.getValue())) {
                    out.add(where + e.getValue().url() + " was updated through the admin API: the reload set its"
                            + " weight and max_connections from the config file");
                }
            }
            for (Map.Entry<String, BackendConfig> e : file.entrySet()) {
                if (!live.containsKey(e.getKey()) && next.containsKey(e.getKey())) {
                    out.add(where + e.getValue().url() + " was removed through the admin API and is in the config"
                            + " file: the reload restored it");
                }
            }
        }
        return out;
    }

    private static Map<String, BackendConfig> byKey(List<BackendConfig> backends) {
        final Map<String, BackendConfig> map = new LinkedHashMap<>();
        for (BackendConfig backend : backends) {
            map.put(backend.key(), backend);
        }
        return map;
    }
}
