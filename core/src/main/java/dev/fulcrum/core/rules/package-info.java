/**
 * Per-service and per-location rules the transport applies to each exchange: location and HTTPS redirects,
 * backend {@code Location} reversal, custom header rules with placeholders, security headers and CORS.
 *
 * <p>Everything here is built once from the configuration on the control thread and is immutable afterwards, so
 * event loops share it without synchronisation. Work that does not depend on the request (joined header values,
 * parsed templates, normalised names) is done at build time; per request only the strings that carry request data
 * are made. No Netty: the transport adapts its header objects to these rules.
 */
package dev.fulcrum.core.rules;
