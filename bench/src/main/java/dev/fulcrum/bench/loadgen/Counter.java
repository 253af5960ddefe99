package dev.fulcrum.bench.loadgen;

/**
 * What a load run counts, per event loop. The first group are outcomes of completed responses by status class; the
 * error kinds follow.
 */
public enum Counter {
    /** Requests written. */
    SENT("sent"),
    /** Responses read to their end, any status. */
    COMPLETED("completed"),
    STATUS_2XX("2xx"),
    STATUS_1XX("1xx"),
    STATUS_3XX("3xx"),
    STATUS_4XX("4xx"),
    STATUS_5XX("5xx"),
    /** A connect attempt that failed (refused, unreachable, timed out). */
    CONNECT_ERROR("connect"),
    /** A response not complete within --timeout of its send; the connection is closed. */
    TIMEOUT("timeout"),
    /** The connection closed or failed with a request in flight. */
    CLOSED("closed"),
    /** A response that could not be parsed. */
    PROTOCOL_ERROR("protocol");

    private final String label;

    Counter(String label) {
        this.label = label;
    }

    /** The name in summaries and JSON. */
    public String label() {
        return label;
    }

    /** True for outcomes that count as errors (anything but a 2xx, and not the plain sent/completed tallies). */
    public boolean isError() {
        return ordinal() > STATUS_2XX.ordinal();
    }

    static Counter forStatus(int status) {
        switch (status / 100) {
            case 1:
                return STATUS_1XX;
            case 2:
                return STATUS_2XX;
            case 3:
                return STATUS_3XX;
            case 4:
                return STATUS_4XX;
            default:
                return STATUS_5XX;
        }
    }
}
