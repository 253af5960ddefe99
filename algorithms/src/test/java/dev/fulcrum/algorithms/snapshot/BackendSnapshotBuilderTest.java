package dev.fulcrum.algorithms.snapshot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendSnapshotBuilderTest {
    private static BackendState state(String id) {
        return new BackendState(id, BackendAddress.parse("http://" + id + ".test:80"));
    }

    @Test
    void rejectsADuplicateIdAnywhereInTheList() {
        final BackendSnapshot.Builder builder = BackendSnapshot.builder();
        for (int i = 0; i < 1024; i++) {
            builder.add(state("b" + i), 1, 10);
        }
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.add(state("b512"), 1, 10));
        assertTrue(e.getMessage().contains("b512"), e.getMessage());
        // The rejected backend was not added.
        assertEquals(1024, builder.build().size());
    }
}
