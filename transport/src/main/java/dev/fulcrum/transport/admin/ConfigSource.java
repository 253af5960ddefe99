package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.ConfigException;
import dev.fulcrum.core.config.ConfigLoader;
import dev.fulcrum.core.config.ControlConfig;
import dev.fulcrum.core.config.ControlConfigLoader;
import dev.fulcrum.core.config.FulcrumConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where a reload reads configuration from: the main file, terraster's optional admin file, and the command-line
 * overrides that must survive every reload.
 *
 * <p>Immutable; loading runs on the control thread.
 */
public final class ConfigSource {
    private final Path mainFile;
    private final Path apiFile;
    private final UnaryOperator<FulcrumConfig> overrides;

    /**
     * @param mainFile  the {@code --config} file
     * @param apiFile   the {@code --api-config} file, or null
     * @param overrides applied to every loaded config (e.g. {@code --transport}); identity for none
     */
    public ConfigSource(Path mainFile, Path apiFile, UnaryOperator<FulcrumConfig> overrides) {
        this.mainFile = mainFile;
        this.apiFile = apiFile;
        this.overrides = overrides;
    }

    public FulcrumConfig loadProxy() throws ConfigException {
        return overrides.apply(ConfigLoader.load(mainFile));
    }

    public ControlConfig loadControl() throws ConfigException {
        return ControlConfigLoader.load(mainFile, apiFile);
    }

    /** The files a watcher should look at. */
    public List<Path> files() {
        final List<Path> files = new ArrayList<>();
        files.add(mainFile);
        if (apiFile != null) {
            files.add(apiFile);
        }
        return files;
    }
}
