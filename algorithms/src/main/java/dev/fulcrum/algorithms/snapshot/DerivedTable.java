package dev.fulcrum.algorithms.snapshot;

import java.util.Objects;
import java.util.function.Function;

/**
 * A per-algorithm table derived from a snapshot's layout (Maglev table, hash ring, alias table, WRR sequence),
 * built once per layout and then read wait-free.
 *
 * <p>Thread-safe. The table is cached with the {@link BackendSnapshot#layoutKey()} it was built from in one volatile
 * field. The control thread calls {@link #prepare} when it publishes a snapshot, so event loops find the table ready;
 * if an event loop sees a layout before it is prepared it builds the table itself. Two threads may then build the
 * same table concurrently: the race is benign, because builders are pure functions of the layout and whichever
 * entry is written last is as good as the other. The previous layout's table is kept too, so event loops still
 * holding the older snapshot during a swap (or a caller alternating between two snapshots) do not rebuild.
 *
 * @param <T> the table type; must be immutable once built
 */
public final class DerivedTable<T> {
    private final Function<BackendSnapshot, T> builder;
    private volatile Entry<T> entry;

    /** @param builder a pure function of the snapshot's layout (never of live state such as health or in-flight) */
    public DerivedTable(Function<BackendSnapshot, T> builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** The table for this snapshot's layout; wait-free once built. */
    public T get(BackendSnapshot snapshot) {
        final Entry<T> e = entry;
        final Object layoutKey = snapshot.layoutKey();
        if (e != null) {
            if (e.layoutKey == layoutKey) {
                return e.table;
            }
            final Entry<T> previous = e.previous;
            if (previous != null && previous.layoutKey == layoutKey) {
                return previous.table;
            }
        }
        return rebuild(snapshot, e);
    }

    /** Control thread: builds the table for a snapshot about to be (or just) published. */
    public void prepare(BackendSnapshot snapshot) {
        get(snapshot);
    }

    private T rebuild(BackendSnapshot snapshot, Entry<T> current) {
        final T table = builder.apply(snapshot);
        final Entry<T> previous = current == null ? null : new Entry<>(current.layoutKey, current.table, null);
        entry = new Entry<>(snapshot.layoutKey(), table, previous);
        return table;
    }

    private static final class Entry<T> {
        final Object layoutKey;
        final T table;
        final Entry<T> previous;   // one level only: never chains further

        Entry(Object layoutKey, T table, Entry<T> previous) {
            this.layoutKey = layoutKey;
            this.table = table;
            this.previous = previous;
        }
    }
}
