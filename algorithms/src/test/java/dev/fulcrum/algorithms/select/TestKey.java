package dev.fulcrum.algorithms.select;

import java.util.HashMap;
import java.util.Map;

/** A mutable request key for tests, like the transport's per-event-loop flyweight. */
final class TestKey implements RequestKey {
    private long clientAddressHash;
    private CharSequence path = "/";
    private final Map<String, CharSequence> headers = new HashMap<>();

    /** A key whose client address, path and X-User header all derive from {@code i}. */
    static TestKey of(long i) {
        return new TestKey().client(i).path("/item/" + i).header("x-user", "user-" + i);
    }

    TestKey client(long hash) {
        this.clientAddressHash = hash;
        return this;
    }

    TestKey path(CharSequence value) {
        this.path = value;
        return this;
    }

    TestKey header(String name, CharSequence value) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    @Override
    public long clientAddressHash() {
        return clientAddressHash;
    }

    @Override
    public CharSequence header(CharSequence name) {
        return headers.get(name.toString().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public CharSequence path() {
        return path;
    }
}
