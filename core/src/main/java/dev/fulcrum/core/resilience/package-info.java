/**
 * Per-request resilience policy without I/O: circuit breakers, per-client rate limiting, retry budgets.
 *
 * <p>Threading: every class here is called from many event loops at once and is lock-free; what each read and
 * write guarantees is spelled out in its javadoc.
 */
package dev.fulcrum.core.resilience;
