package dev.fulcrum.bench.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds and reads a scenario: a file path, or a name looked up as {@code bench/scenarios/NAME.yaml} under the working
 * directory and then among the scenarios shipped in the jar.
 *
 * <p>Stateless.
 */
public final class ScenarioLoader {
    /** Where shipped scenarios live in the repository and, copied, in the jar. */
    public static final Path SCENARIO_DIR = Paths.get("bench", "scenarios");
    private static final String RESOURCE_DIR = "/scenarios/";

    private ScenarioLoader() {
    }

    /** @throws IllegalArgumentException naming the file and the problem */
    public static ScenarioSpec load(String nameOrFile) throws IOException {
        final Path asFile = Paths.get(nameOrFile);
        if (Files.isRegularFile(asFile)) {
            return parse(Files.readString(asFile, StandardCharsets.UTF_8), asFile.toString());
        }
        final Path shipped = SCENARIO_DIR.resolve(nameOrFile + ".yaml");
        if (Files.isRegularFile(shipped)) {
            return parse(Files.readString(shipped, StandardCharsets.UTF_8), shipped.toString());
        }
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(RESOURCE_DIR + nameOrFile + ".yaml")) {
            if (in != null) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "jar:" + nameOrFile + ".yaml");
            }
        }
        throw new IllegalArgumentException("no scenario file or shipped scenario named '" + nameOrFile
                + "' (shipped ones are in " + SCENARIO_DIR + ")");
    }

    /** @throws IllegalArgumentException naming {@code source}, the line when known, and the problem */
    public static ScenarioSpec parse(String yaml, String source) {
        final ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        final ScenarioSpec spec;
        try {
            spec = mapper.readValue(yaml, ScenarioSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(source + ":" + keyLine(yaml, e.getPropertyName(),
                    e.getLocation().getLineNr()) + ": unknown key '"
                    + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ")", e);
        } catch (JsonProcessingException e) {
            final int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new IllegalArgumentException(source + ":" + line + ": " + e.getOriginalMessage(), e);
        }
        try {
            validate(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return spec;
    }

    /**
     * The line where {@code key} first appears as a mapping key: the YAML parser reports where it stood when the
     * binder noticed, which is after the key's value.
     */
    private static int keyLine(String yaml, String key, int fallback) {
        final java.util.regex.Pattern asKey = java.util.regex.Pattern.compile(
                "(^|[\\s{,-])" + java.util.regex.Pattern.quote(key) + "\\s*:");
        final String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (asKey.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return fallback;
    }

    private static void validate(ScenarioSpec spec) {
        if (spec.name() == null || !spec.name().matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("name must be lowercase letters, digits and '-': " + spec.name());
        }
        if (spec.origins() == null || spec.origins().isEmpty()) {
            throw new IllegalArgumentException("origins: at least one is needed");
        }
        final Set<String> names = new HashSet<>();
        for (ScenarioSpec.OriginSpec origin : spec.origins()) {
            if (origin.name() == null || origin.latency() == null) {
                throw new IllegalArgumentException("origins: every origin needs a name and a latency");
            }
            origin.latency().profile();
            names.addAll(ScenarioRunner.expandedNames(origin));
        }
        for (ScenarioSpec.EventSpec event : spec.events()) {
            if (!names.contains(event.origin())) {
                throw new IllegalArgumentException("events: unknown origin '" + event.origin() + "' (known: "
                        + names + ")");
            }
            event.atNanos();
            if (!Set.of("slow_down", "fail", "recover", "kill", "restart").contains(event.action())) {
                throw new IllegalArgumentException("events: action must be slow_down, fail, recover, kill or"
                        + " restart: " + event.action());
            }
            if (event.action().equals("slow_down") && (event.factor() == null || event.factor() <= 0)) {
                throw new IllegalArgumentException("events: slow_down needs a positive factor");
            }
        }
        if (spec.load() == null) {
            throw new IllegalArgumentException("load: missing");
        }
        if (spec.algorithms() == null || spec.algorithms().isEmpty()) {
            throw new IllegalArgumentException("algorithms: at least one is needed");
        }
        final Set<String> variants = new HashSet<>();
        for (ScenarioSpec.VariantSpec variant : spec.variants()) {
            if (variant.name() == null || variant.name().isBlank() || !variants.add(variant.name())) {
                throw new IllegalArgumentException("variants: every variant needs a name of its own: "
                        + variant.name());
            }
        }
    }
}
