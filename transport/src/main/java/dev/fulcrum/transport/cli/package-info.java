/**
 * The {@code run} command: loads a config (or builds one from flags), starts the proxy and drains it on SIGTERM or
 * SIGINT.
 *
 * <p>Threading: the command's thread starts the server, then waits for a stop signal and drains.
 */
package dev.fulcrum.transport.cli;
