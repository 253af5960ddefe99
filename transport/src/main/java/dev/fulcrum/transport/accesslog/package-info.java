/**
 * The access log: one line per finished exchange, in JSON or combined format, through SLF4J to logback's async
 * appender, under a per-service logger name (terraster's {@code log_name}).
 *
 * <p>Threading: lines are built on the event loop that served the exchange, in a per-thread reusable
 * {@link java.lang.StringBuilder}; logback's {@code AsyncAppender} takes the event from there, so the event loop never
 * waits on a disk or terminal.
 */
package dev.fulcrum.transport.accesslog;
