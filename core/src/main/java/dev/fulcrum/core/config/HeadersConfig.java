package dev.fulcrum.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's custom header rules (terraster's {@code headers} block): removals first, then additions, on the
 * request towards the backend and on the response towards the client.
 *
 * <p>Immutable. Values may hold the placeholders {@code ${remote_addr}}, {@code ${host}}, {@code ${uri}} and
 * {@code ${method}}; they are parsed once, when the routing table is built.
 *
 * @param requestHeaders        set (replacing any value) on the request, in configured order
 * @param responseHeaders       set (replacing any value) on the response, in configured order
 * @param removeRequestHeaders  removed from the request before the additions
 * @param removeResponseHeaders removed from the response before the additions
 */
public record HeadersConfig(Map<String, String> requestHeaders, Map<String, String> responseHeaders,
                            List<String> removeRequestHeaders, List<String> removeResponseHeaders) {

    public static final HeadersConfig NONE = new HeadersConfig(Map.of(), Map.of(), List.of(), List.of());

    public HeadersConfig {
        requestHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestHeaders));
        responseHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(responseHeaders));
        removeRequestHeaders = List.copyOf(removeRequestHeaders);
        removeResponseHeaders = List.copyOf(removeResponseHeaders);
    }

    public boolean isEmpty() {
        return requestHeaders.isEmpty() && responseHeaders.isEmpty() && removeRequestHeaders.isEmpty()
                && removeResponseHeaders.isEmpty();
    }
}
