package dev.fulcrum.transport.admin;

/**
 * What an admin endpoint answers: a status and a body (serialised as JSON; null for none), or raw bytes with their
 * content type (the Prometheus exposition).
 *
 * <p>Immutable.
 */
record AdminResponse(int status, Object json, byte[] raw, String contentType) {
    static AdminResponse json(int status, Object body) {
        return new AdminResponse(status, body, null, null);
    }

    static AdminResponse empty(int status) {
        return new AdminResponse(status, null, null, null);
    }

    static AdminResponse raw(byte[] bytes, String contentType) {
        return new AdminResponse(200, null, bytes, contentType);
    }
}
