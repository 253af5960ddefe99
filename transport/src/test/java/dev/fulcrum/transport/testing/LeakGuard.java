package dev.fulcrum.transport.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test class when Netty reported a buffer leak while it ran.
 *
 * <p>Registered for every test class through the JUnit extension service file. Netty reports a leak only when a
 * leaked buffer has been garbage collected and a later allocation polls the reference queue, so after each class
 * this forces collections and allocations before it reads the reports.
 */
public final class LeakGuard implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            fail("tests must run with -Dio.netty.leakDetection.level=paranoid, found " + ResourceLeakDetector.getLevel());
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            touch(ByteBufAllocator.DEFAULT);
            touch(PooledByteBufAllocator.DEFAULT);
            touch(UnpooledByteBufAllocator.DEFAULT);
        }
        Thread.sleep(100); // async appender
        final List<String> leaks = LeakRecordingAppender.drain();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " Netty buffer leak report(s) in " + context.getDisplayName() + ":\n" + leaks.get(0));
        }
    }

    private static void touch(ByteBufAllocator allocator) {
        for (int i = 0; i < 64; i++) {
            final ByteBuf heap = allocator.heapBuffer(16);
            heap.release();
            final ByteBuf direct = allocator.directBuffer(16);
            direct.release();
        }
    }
}
