package dev.fulcrum.core.route;

import java.util.Map;

/**
 * An open-addressing map from lower-case host names to values, looked up by a region of a {@link CharSequence}
 * compared ignoring ASCII case.
 *
 * <p>Immutable after construction and thread-safe. Lookups allocate nothing, unlike a {@code HashMap<String, V>}
 * which would need the region copied and lower-cased into a new String.
 *
 * @param <V> value type
 */
final class HostTable<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    /** @param entries keys must already be lower case */
    HostTable(Map<String, V> entries) {
        // Load factor at most 0.5 keeps probe sequences short.
        int capacity = 2;
        while (capacity < entries.size() * 2) {
            capacity <<= 1;
        }
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (Map.Entry<String, V> e : entries.entrySet()) {
            final String key = e.getKey();
            int slot = Ascii.hashLower(key, 0, key.length()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = e.getValue();
        }
    }

    /** The value for {@code s[start, end)} ignoring ASCII case, or null. */
    @SuppressWarnings("unchecked")
    V get(CharSequence s, int start, int end) {
        int slot = Ascii.hashLower(s, start, end) & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (Ascii.equalsLower(s, start, end, key)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }
}
