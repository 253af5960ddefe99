package dev.fulcrum.transport.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a callback instead of the JVM's default exit, so that the proxy can drain and exit
 * with status 0.
 *
 * <p>Thread-safe; the callback runs on the JVM's signal dispatch thread and must only signal another thread.
 */
final class StopSignals {
    private StopSignals() {
    }

    /** SIGHUP: reload the configuration (the callback must only hand the work to another thread). */
    static void onHup(Runnable callback) {
        Signal.handle(new Signal("HUP"), signal -> callback.run());
    }

    static void onTermOrInt(Runnable callback) {
        Signal.handle(new Signal("TERM"), signal -> callback.run());
        Signal.handle(new Signal("INT"), signal -> callback.run());
    }
}
