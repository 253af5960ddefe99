package dev.fulcrum.algorithms.select;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the randomised selectors get their random numbers: {@link ThreadLocalRandom} in production, a seeded
 * generator in tests and simulations.
 *
 * <p>{@link #threadLocal()} is thread-safe and allocation-free; {@link #seeded(long)} is confined to one thread.
 */
public interface RandomSource {
    /** 64 uniformly random bits. */
    long nextLong();

    /** The production source: {@link ThreadLocalRandom#current()}, contention-free across event loops. */
    static RandomSource threadLocal() {
        return ThreadLocalSource.INSTANCE;
    }

    /** A reproducible source for tests; not thread-safe. */
    static RandomSource seeded(long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        return random::nextLong;
    }

    /** The production singleton; an enum so it stays one class and the call site stays monomorphic. */
    enum ThreadLocalSource implements RandomSource {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }
    }
}
