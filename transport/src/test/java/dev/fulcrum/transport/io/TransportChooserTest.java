package dev.fulcrum.transport.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportChooserTest {
    @Test
    void autoPicksTheFastestAvailableTransport() {
        TransportKind expected = TransportKind.NIO;
        for (TransportKind kind : TransportKind.values()) {
            if (kind.isAvailable()) {
                expected = kind;
                break;
            }
        }
        assertEquals(expected, TransportChooser.choose("auto"));
        assertEquals(expected, TransportChooser.choose(null));
    }

    @Test
    void forcedTransportIsUsedWhenAvailableAndRefusedWithItsCauseWhenNot() {
        for (TransportKind kind : TransportKind.values()) {
            if (kind.isAvailable()) {
                assertEquals(kind, TransportChooser.choose(kind.configName()));
            } else {
                final TransportUnavailableException e = assertThrows(TransportUnavailableException.class,
                        () -> TransportChooser.choose(kind.configName()));
                assertTrue(e.getMessage().contains(kind.configName()));
            }
        }
    }

    @Test
    void acceptsSpellingsAndRejectsUnknownNames() {
        assertEquals(TransportKind.IO_URING, TransportKind.fromConfigName("io-uring"));
        assertEquals(TransportKind.IO_URING, TransportKind.fromConfigName("IOURING"));
        assertThrows(IllegalArgumentException.class, () -> TransportKind.fromConfigName("kqueue"));
    }
}
