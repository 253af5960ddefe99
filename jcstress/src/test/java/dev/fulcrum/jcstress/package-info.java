/**
 * jcstress tests of the algorithms module's lock-free parts: the max_connections compare-and-set and the snapshot
 * publication. {@link dev.fulcrum.jcstress.JcstressRunTest} runs them from the unit-test phase.
 *
 * <p>Threading: each test's actors run concurrently on jcstress's threads; that is the point.
 */
package dev.fulcrum.jcstress;
