/**
 * JMH suites for the core module's control-plane and per-request pieces: snapshot publication, route lookup, URL
 * rewriting. Each benchmark state is thread-confined ({@code Scope.Thread}).
 */
package dev.fulcrum.bench.jmh.core;
