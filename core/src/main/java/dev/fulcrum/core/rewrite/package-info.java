/**
 * Request-target rewriting: what the backend sees instead of what the client sent.
 *
 * <p>Threading: a {@link dev.fulcrum.core.rewrite.UrlRewriter} is built once per location on the control thread and is
 * immutable; event loops call it concurrently.
 */
package dev.fulcrum.core.rewrite;
