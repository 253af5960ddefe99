/**
 * The selector SPI and one class per load-balancing algorithm.
 *
 * <p>Threading: selectors are called concurrently from every event loop. They never lock, never block and allocate
 * nothing per call; whatever state they keep across calls is updated with atomic operations.
 */
package dev.fulcrum.algorithms.select;
