package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.load.Load;
import io.edgedeck.simulator.load.LoadComparison;
import io.edgedeck.simulator.load.LoadException;
import io.edgedeck.simulator.load.NodeKeys;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code load --target URL --scenario NAME|FILE --key-dir DATA_DIR [--seed N] [--speed N|max] [--report FILE]}:
 * the simulated audience and edge of a show drive a live node over the wire, as a real audience and
 * its apps would, then the node's figures are compared with the same show in-process.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"drive a live node over HTTP with a show's simulated audience; compare its report with the show in-process",
                "OFREP evaluations for exposures, ingest batches for conversions, latencies, chat and checkouts, the control"
                        + " API to arm guardrails as the scenario does.",
                "Exit codes: 0 the node agrees, 3 it does not (the comparison says where), 2 bad arguments, 1 the node could"
                        + " not be driven (unreachable, a key refused, not the show asked for)."})
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--target", required = true, paramLabel = "URL", description = "the live node, e.g. http://127.0.0.1:8787")
    String target;

    @Mixin
    ShowOptions.Scenario scenario;

    @Mixin
    ShowOptions.Seed seed;

    @Option(names = "--key-dir", paramLabel = "DATA_DIR", converter = OptionTypes.DataDirectory.class,
            description = "the node's data directory: its token, read-key and ingest-key files are read from it")
    Path keyDir;

    @Option(names = "--token-file", paramLabel = "FILE", description = "the node's admin token (default: DATA_DIR/token)")
    Path tokenFile;

    @Option(names = "--read-key-file", paramLabel = "FILE", description = "the node's read key (default: DATA_DIR/read-key)")
    Path readKeyFile;

    @Option(names = "--ingest-key-file", paramLabel = "FILE", description = "the node's ingest key (default: DATA_DIR/ingest-key)")
    Path ingestKeyFile;

    @Option(names = "--speed", paramLabel = "N|max", converter = OptionTypes.Speed.class, defaultValue = "1",
            description = "show seconds per wall second (default 1, as a real show), or max: as fast as the node takes it")
    double speed;

    @Option(names = "--report", paramLabel = "FILE", description = "write the comparison here as JSON")
    Path report;

    private final PrintStream out;
    private final PrintStream err;

    LoadCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        URI uri = target();
        if (uri == null) {
            return ExitCode.BAD_INPUT;
        }
        Scenario resolved = RunCommand.resolve("load", scenario.name, err);
        if (resolved == null) {
            return ExitCode.BAD_INPUT;
        }
        if (report != null && !OutputPaths.fileWritable("load", "--report", report, err, OutputPaths.Other.scenario(scenario.name),
                keyFile("--token-file", tokenFile, "token"), keyFile("--read-key-file", readKeyFile, "read-key"),
                keyFile("--ingest-key-file", ingestKeyFile, "ingest-key"))) {
            return ExitCode.BAD_INPUT;
        }
        NodeKeys keys;
        try {
            keys = NodeKeys.read(keyDir, tokenFile, readKeyFile, ingestKeyFile);
        } catch (NodeKeys.KeyFileException e) {
            err.println("load: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        ShowDefinition show = new ShowDefinition(resolved, seed.or(resolved.seed()), ScenarioCatalog.document(scenario.name));
        out.println("load " + show.name() + " (seed " + show.seed() + ") into " + uri);
        LoadComparison comparison;
        try {
            comparison = Load.run(show, uri, keys, speed, err);
        } catch (LoadException e) {
            err.println("load: " + e.getMessage());
            return ExitCode.INTERNAL_ERROR;
        }
        out.print(comparison.summary());
        if (report != null) {
            if (!OutputPaths.write("load", "--report", report, Reports.JSON.writeValueAsString(comparison) + "\n", err)) {
                return ExitCode.INTERNAL_ERROR;
            }
            out.println("report     " + report);
        }
        return comparison.holds() ? ExitCode.OK : ExitCode.DIFFERS;
    }

    /** {@code --target} as an http(s) URL with a host, or null after saying why not. */
    private URI target() {
        try {
            URI uri = new URI(target);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null || uri.getPort() > 65_535) {
                err.println("load: --target must be the node's http:// or https:// URL, e.g. http://127.0.0.1:8787, not '" + target + "'");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            err.println("load: --target is not a URL: " + e.getMessage());
            return null;
        }
    }

    /** A key file load reads: the one its option names, else the one in --key-dir. */
    private OutputPaths.Other keyFile(String option, Path file, String name) {
        return file != null ? OutputPaths.Other.read(option, file)
                : OutputPaths.Other.read("--key-dir", keyDir == null ? null : keyDir.resolve(name));
    }

}
