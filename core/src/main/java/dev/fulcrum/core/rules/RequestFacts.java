package dev.fulcrum.core.rules;

/**
 * What header templates may read about the exchange in progress; implemented by the transport once per connection
 * and reused for every exchange on it.
 */
public interface RequestFacts {
    /**
     * @param kind one of {@link HeaderTemplate#REMOTE_ADDR}, {@link HeaderTemplate#HOST}, {@link HeaderTemplate#URI},
     *             {@link HeaderTemplate#METHOD}
     * @return the value, or null when the request has none (an HTTP/1.0 request without Host)
     */
    CharSequence fact(int kind);
}
