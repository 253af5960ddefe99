package dev.fulcrum.algorithms.snapshot;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class DerivedTableTest {

    private static BackendSnapshot snapshot(String... ids) {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (String id : ids) {
            builder.add(new BackendState(id, BackendAddress.parse("http://" + id + ":80")), 1, 10);
        }
        return builder.build();
    }

    @Test
    void buildsOncePerLayoutAndSurvivesVersionStamping() {
        final AtomicInteger builds = new AtomicInteger();
        final DerivedTable<Object> table = new DerivedTable<>(s -> {
            builds.incrementAndGet();
            return new Object();
        });
        final BackendSnapshot built = snapshot("a", "b");
        table.prepare(built);
        final SnapshotHolder holder = new SnapshotHolder(BackendSnapshot.EMPTY);
        final BackendSnapshot published = holder.publishRelease(built);
        final Object first = table.get(published);
        for (int i = 0; i < 100; i++) {
            assertSame(first, table.get(holder.currentAcquire()));
        }
        assertEquals(1, builds.get());

        table.get(snapshot("a", "b"));   // same backends, new build: a new layout
        assertEquals(2, builds.get());
    }
}
