package dev.fulcrum.transport.admin;

/**
 * An expected admin API failure with the status and short reason to answer (404 unknown, 409 duplicate, 400 bad
 * input). Thrown on the control thread, turned into a JSON error response by {@link AdminHandler}.
 */
final class AdminException extends RuntimeException {
    private final int status;

    AdminException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
