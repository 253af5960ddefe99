/**
 * Hash functions and the lookup structures built from them: Maglev tables, consistent-hash rings, jump hash.
 *
 * <p>Threading: the functions are pure; the tables are immutable once built. Tables are built by the control thread
 * (or, at worst, once by the first event loop that sees a new snapshot layout) and then only read.
 */
package dev.fulcrum.algorithms.hash;
