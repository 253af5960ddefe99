package dev.fulcrum.transport.proxy;

/** Test access to package-private facts of {@link ResponseCompressor}. */
public final class ResponseCompressorAccess {
    private ResponseCompressorAccess() {
    }

    public static boolean zstdAvailable() {
        return ResponseCompressor.zstdAvailable();
    }

    public static boolean brotliAvailable() {
        return ResponseCompressor.brotliAvailable();
    }
}
