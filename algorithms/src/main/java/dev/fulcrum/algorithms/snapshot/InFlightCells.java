package dev.fulcrum.algorithms.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where every backend's in-flight word lives: one {@code int} cell in a shared page, handed out in creation order.
 *
 * <p>Why: least-connections reads every backend's in-flight count on each pick. With the count inside each
 * {@link BackendState} object that is one pointer (and one cache line) per backend; with the counts of backends
 * created together in consecutive cells of one {@code int[]}, a 1024-backend scan reads 64 contiguous lines. A cell
 * belongs to its {@link BackendState} for the state's whole life, so the counters survive snapshot swaps without
 * moving: a snapshot only records where its backends' cells are.
 *
 * <p>A cell is never handed out twice (a late release on a removed backend must not decrement a newcomer), so a page
 * is garbage once every state holding a cell in it is. Cells are not padded: adjacent backends share a cache line,
 * which costs a line transfer when two event loops update neighbours, and saves the scan fifteen of every sixteen
 * line reads; least-connections reads every line on every pick anyway.
 *
 * <p>The word: bits 0..29 count requests in flight, bit 30 is set while the backend is dead (see {@link #DEAD}), so
 * {@code word < cap} is "alive and below the cap" in one compare. Allocation is synchronized (control plane only);
 * the cells themselves are read and updated with the VarHandle below only.
 */
final class InFlightCells {
    /** Set while the health checker says the backend is dead. A word at or above it is never below any cap. */
    static final int DEAD = 1 << 30;
    /** The in-flight count's bits; also the largest cap honoured (caps above it are clamped: about 10^9). */
    static final int COUNT_MASK = DEAD - 1;
    /** Cells per page: 16 KB, one backend list of up to 4096 members created together fits one page. */
    static final int PAGE_CELLS = 4096;

    static final VarHandle CELL = MethodHandles.arrayElementVarHandle(int[].class);

    private static int[] page = new int[PAGE_CELLS];
    private static int next;

    private InFlightCells() {
    }

    /** The next free cell, on a new page when the current one is full. */
    static synchronized Claim claim() {
        if (next == PAGE_CELLS) {
            page = new int[PAGE_CELLS];
            next = 0;
        }
        return new Claim(page, next++);
    }

    /** One cell: the page and the index in it. */
    record Claim(int[] page, int index) {
    }
}
