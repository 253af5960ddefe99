package dev.fulcrum.bench.cli;

import dev.fulcrum.transport.cli.HashPasswordCommand;
import dev.fulcrum.transport.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The {@code fulcrum} top-level command: dispatches to its subcommands.
 *
 * <p>Exit codes: whatever the subcommand returns; 2 for an unknown subcommand or option, or no subcommand at all
 * (usage on stderr).
 */
@Command(name = "fulcrum", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
        description = "Fulcrum: an L7 load balancer on Netty, and the tools that measure it.",
        subcommands = {RunCommand.class, DemoCommand.class, JmhCommand.class, HashPasswordCommand.class,
                LoadgenCommand.class, ScenarioCommand.class, ComparePeersCommand.class})
public final class FulcrumMain implements Callable<Integer> {
    /** picocli's code for invalid input; the subcommands use the same value for bad arguments. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: that is a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** The configured command line; tests execute it with their own writers. */
    public static CommandLine commandLine() {
        final CommandLine cli = new CommandLine(new FulcrumMain());
        JmhCommand.configure(cli.getSubcommands().get("jmh"));
        return cli;
    }

    public static void main(String[] args) {
        ServingDefaults.apply();
        System.exit(commandLine().execute(args));
    }
}
