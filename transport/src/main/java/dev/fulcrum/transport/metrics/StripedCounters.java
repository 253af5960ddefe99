package dev.fulcrum.transport.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A block of long counters, one copy (stripe) per event loop, so that each loop increments only memory it owns.
 *
 * <p>Single writer per stripe: the event loop the stripe was assigned to adds with an opaque read and an opaque
 * write (no CAS, no fence on x86). The extra {@link #SHARED_STRIPE} is for callers that are not event loops of the
 * server (tests, embedded channels); it is updated with atomic adds. Readers (the scrape) sum every stripe with
 * opaque reads: a sum may miss increments in progress, never tears a value.
 *
 * <p>Stripes are padded apart by {@link #PAD_LONGS} longs (two cache lines) so that neighbouring loops do not
 * false-share.
 */
final class StripedCounters {
    /** Stripe index for threads that own no stripe; atomic updates. */
    static final int SHARED_STRIPE = -1;
    private static final int PAD_LONGS = 16;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells;
    private final int stride;
    private final int sharedBase;

    /**
     * @param stripes number of owned stripes (event loops)
     * @param slots   counters per stripe
     */
    StripedCounters(int stripes, int slots) {
        this.stride = slots + PAD_LONGS;
        // Leading padding, one stride per owned stripe, then the shared stripe.
        this.cells = new long[PAD_LONGS + stride * (stripes + 1)];
        this.sharedBase = PAD_LONGS + stride * stripes;
    }

    /** Adds to one counter of the caller's stripe. Allocation-free. */
    void add(int stripe, int slot, long delta) {
        if (stripe >= 0) {
            final int index = PAD_LONGS + stripe * stride + slot;
            CELLS.setOpaque(cells, index, (long) CELLS.getOpaque(cells, index) + delta);
        } else {
            CELLS.getAndAdd(cells, sharedBase + slot, delta);
        }
    }

    /** The sum of one counter over every stripe. */
    long sum(int slot) {
        long total = (long) CELLS.getOpaque(cells, sharedBase + slot);
        for (int base = PAD_LONGS; base < sharedBase; base += stride) {
            total += (long) CELLS.getOpaque(cells, base + slot);
        }
        return total;
    }
}
