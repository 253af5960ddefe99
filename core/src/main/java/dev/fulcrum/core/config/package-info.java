/**
 * Fulcrum's configuration: the YAML loader and the immutable records it produces.
 *
 * <p>Threading: {@link dev.fulcrum.core.config.ConfigLoader} runs on the control thread at start (and later on
 * reload); every record it returns is immutable and may be shared with any thread. Validation happens once, at load,
 * so a bad file fails at start and never mid-traffic; every error names the file, the line and the key path.
 */
package dev.fulcrum.core.config;
