package dev.fulcrum.transport.cli;

import dev.fulcrum.transport.admin.AdminAuth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code fulcrum hash-password}: prints the bcrypt hash of a password for {@code auth.users[].password_hash}.
 * Reads the password without echo from the terminal, or one line from stdin when piped; never from an argument
 * (arguments end up in shell history and {@code ps}).
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Print the bcrypt hash of a password (read from the terminal or stdin) for auth.users[].password_hash.")
public final class HashPasswordCommand implements Callable<Integer> {
    @Option(names = "--cost", paramLabel = "N", description = "bcrypt cost, 4..31 (default ${DEFAULT-VALUE}).")
    int cost = AdminAuth.BCRYPT_COST;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (cost < 4 || cost > 31) {
            spec.commandLine().getErr().println("fulcrum: --cost " + cost + " (expected: 4..31)");
            return RunCommand.EXIT_BAD_CONFIG;
        }
        final Console console = System.console();
        char[] password;
        if (console != null) {
            password = console.readPassword("password: ");
        } else {
            final String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            spec.commandLine().getErr().println("fulcrum: no password given");
            return RunCommand.EXIT_BAD_CONFIG;
        }
        spec.commandLine().getOut().println(AdminAuth.hashPassword(password, cost));
        Arrays.fill(password, '\0');
        return RunCommand.EXIT_OK;
    }
}
