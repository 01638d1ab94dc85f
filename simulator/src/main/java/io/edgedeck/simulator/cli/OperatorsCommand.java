package io.edgedeck.simulator.cli;

import io.edgedeck.client.files.OutputFile;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.server.OwnerOnlyFiles;
import io.edgedeck.simulator.server.operators.Operator;
import io.edgedeck.simulator.server.operators.OperatorException;
import io.edgedeck.simulator.server.operators.OperatorStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code operators add|list|revoke}: the people who may call a node, each with a token of their own
 * and a role. The token is written once, to a file its person keeps; it is never printed, and the
 * node keeps only its hash. A running node sees a change at the next call, without a restart.
 */
@Command(name = "operators", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "add|list|revoke",
        description = "give people tokens of their own, each with a role (viewer, operator, approver); list; revoke")
final class OperatorsCommand implements java.util.concurrent.Callable<Integer> {

    /** Which node: its data directory, or its name under the user's data directory (as serve --name). */
    static final class Node {
        @Option(names = "--data-dir", required = true, paramLabel = "DIR", converter = OptionTypes.DataDirectory.class,
                description = "the node's data directory")
        Path dataDir;

        @Option(names = "--node", required = true, paramLabel = "NAME", converter = OptionTypes.NodeName.class,
                description = "the node's name (serve --name, or its scenario's name): its data directory under the user's")
        String name;

        Path directory() {
            return dataDir != null ? dataDir : UserDataDirectory.forNode(name);
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    OperatorsCommand(PrintStream out, PrintStream err) {
        this(out, err, Clock.systemUTC());
    }

    OperatorsCommand(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    @Spec
    CommandSpec spec;

    /** No subcommand: a usage error, with what there is. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("operators: give a subcommand: add, list or revoke");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "make NAME a token with a role; it is written to a new owner-only file, never printed")
    int add(@Parameters(paramLabel = "NAME", description = "who: letters, digits, '.', '_', '-'; the audit names them so") String name,
            @Option(names = "--role", required = true, paramLabel = "viewer|operator|approver", converter = OptionTypes.PersonRole.class,
                    description = "viewer: reads /api/v1 and the frames; operator: also every change; approver: what an operator"
                            + " may, and the role that will decide on changes waiting for a second person") Role role,
            @Option(names = "--token-out", paramLabel = "FILE",
                    description = "where to write the token (default: NAME.token in this directory); it must not exist") Path tokenOut,
            @ArgGroup(multiplicity = "1") Node node) {
        Path dir = node.directory();
        Path tokenFile = tokenOut != null ? tokenOut : Path.of(name + ".token");
        if (!Files.exists(tokenFile) && !OutputPaths.fileWritable("operators add", "--token-out", tokenFile, err)) {
            return ExitCode.BAD_INPUT;
        }
        OperatorStore.Added added;
        try {
            added = new OperatorStore(dir, clock).add(name, role, tokenFile);
        } catch (OperatorException e) {
            err.println("operators add: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (IOException e) {
            // the operators file or the token file cannot be read or written: the node's data or the path given, as list says
            err.println("operators add: " + (e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
                    ? "cannot write " + fs.getFile() + ": " + OutputFile.reason(e) : e.getMessage()));
            return ExitCode.BAD_INPUT;
        }
        Operator o = added.operator();
        out.println("Added " + o.name() + " (" + o.role().id() + ") to the node in " + dir.toAbsolutePath() + ".");
        out.println("Their token is in " + added.tokenFile() + " (owner-only). Give them that file: the token is shown"
                + " nowhere else, and the node keeps only its hash.");
        out.println("They connect with:  --connect https://NODE:PORT --token-file " + added.tokenFile());
        out.println(olderNodeCannotRead(added.operator(), dir)
                ? "A running node of this version knows them from their first call; no restart. A node of an older"
                        + " version cannot read the file now (createdBy): it refuses every personal token until it runs"
                        + " this version (docs/API.md, \"Upgrading: the node first, then the command\")."
                : "A running node knows them from their first call; no restart.");
        warnIfNotPrivate(added.tokenFile().getParent());
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "everyone with a token of their own, revoked ones too")
    int list(@ArgGroup(multiplicity = "1") Node node) {
        Path dir = node.directory();
        List<Operator> all;
        try {
            all = new OperatorStore(dir, clock).list();
        } catch (IOException | OperatorException e) {
            err.println("operators list: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (all.isEmpty()) {
            out.println("No operators on the node in " + dir.toAbsolutePath() + ": only its admin token opens /api/v1."
                    + " Add one with 'operators add NAME --role viewer|operator|approver'.");
            return ExitCode.OK;
        }
        int width = Math.max(4, all.stream().mapToInt(o -> o.name().length()).max().orElse(4));
        out.printf("%-" + width + "s  %-8s  %-20s  %s%n", "NAME", "ROLE", "CREATED", "STATE");
        for (Operator o : all) {
            out.printf("%-" + width + "s  %-8s  %-20s  %s%n", o.name(), o.role().id(), o.createdAt(),
                    o.active() ? "active" : "revoked " + o.revokedAt());
        }
        return ExitCode.OK;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "revoke NAME's token: a running node refuses it (401) from its next call, without a restart")
    int revoke(@Parameters(paramLabel = "NAME", description = "whose token") String name,
               @ArgGroup(multiplicity = "1") Node node) {
        Path dir = node.directory();
        Operator revoked;
        try {
            revoked = new OperatorStore(dir, clock).revoke(name);
        } catch (OperatorException e) {
            err.println("operators revoke: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (IOException e) {
            err.println("operators revoke: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        out.println("Revoked the token of " + revoked.name() + " (" + revoked.role().id() + ") at " + revoked.revokedAt()
                + ". The node refuses it from the next call; a frame stream it holds ends.");
        return ExitCode.OK;
    }

    /**
     * True when the operators file now holds who ran a command ({@code createdBy}, {@code revokedBy}), which a node of
     * the version before those fields refuses to read; a command that cannot tell who runs it writes neither.
     */
    private boolean olderNodeCannotRead(Operator added, Path dir) {
        if (added.createdBy() != null) {
            return true;
        }
        try {
            return new OperatorStore(dir, clock).list().stream().anyMatch(o -> o.createdBy() != null || o.revokedBy() != null);
        } catch (IOException | OperatorException e) {
            return true; // what was just written cannot be read back: say the more careful thing
        }
    }

    private void warnIfNotPrivate(Path dir) {
        try {
            if (!OwnerOnlyFiles.posix(dir)) {
                err.println("operators add: warning: the file system of " + dir + " has no POSIX permissions: the token file"
                        + " cannot be made owner-only here; move it somewhere private");
            }
        } catch (IOException e) {
            err.println("operators add: warning: cannot tell whether " + dir + " keeps files private: " + e.getMessage());
        }
    }
}
