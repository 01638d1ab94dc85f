package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioError;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve [--port P] [--bind ADDRESS] [--scenario NAME|FILE] [--seed N] [--speed N|max] [--data-dir DIR]}:
 * runs a headless edge node with the HTTP API until the process is stopped.
 */
final class ServeCommand implements Command {
    static final int DEFAULT_PORT = 8787;

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String arguments() {
        return "[--port P] [--bind ADDRESS] [--scenario NAME|FILE] [--seed N] [--speed N|max] [--data-dir DIR]";
    }

    @Override
    public String summary() {
        return "run a headless edge node with the HTTP API (loopback only unless --bind says otherwise)";
    }

    record Options(int port, InetAddress bind, String scenario, Long seed, double speed, Path dataDir) {
    }

    static Options parse(List<String> args) throws RunCommand.UsageError {
        int port = DEFAULT_PORT;
        InetAddress bind = InetAddress.getLoopbackAddress();
        String scenario = "steady-show";
        Long seed = null;
        double speed = 1;
        Path dataDir = Path.of("edgedeck-node");
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!List.of("--port", "--bind", "--scenario", "--seed", "--speed", "--data-dir").contains(option)) {
                throw new RunCommand.UsageError("unknown option '" + option + "'");
            }
            if (i + 1 >= args.size()) {
                throw new RunCommand.UsageError(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65_535) {
                        throw new RunCommand.UsageError("--port takes a number from 0 to 65535, not '" + value + "'");
                    }
                }
                case "--bind" -> {
                    try {
                        bind = InetAddress.getByName(value);
                    } catch (UnknownHostException e) {
                        throw new RunCommand.UsageError("--bind: '" + value + "' is not an address of this machine");
                    }
                }
                case "--scenario" -> scenario = value;
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new RunCommand.UsageError("--seed takes a whole number, not '" + value + "'");
                    }
                }
                case "--speed" -> speed = RunCommand.parseSpeed(value);
                default -> dataDir = Path.of(value);
            }
        }
        return new Options(port, bind, scenario, seed, speed, dataDir);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options options;
        Scenario scenario;
        try {
            options = parse(args);
            scenario = ScenarioCatalog.resolve(options.scenario());
        } catch (RunCommand.UsageError | ScenarioCatalog.UnknownScenarioException e) {
            err.println("serve: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (ScenarioValidationException e) {
            String file = args.contains("--scenario") ? args.get(args.indexOf("--scenario") + 1) : "scenario";
            for (ScenarioError error : e.errors()) err.println(error.toString(file));
            return ExitCode.BAD_INPUT;
        }
        ShowDefinition show = new ShowDefinition(scenario, options.seed() != null ? options.seed() : scenario.seed());
        EdgeNode node;
        try {
            node = EdgeNode.start(new EdgeNode.Config(show, options.speed(), options.bind(), options.port(), options.dataDir()));
        } catch (EdgeNode.StartException e) {
            err.println("serve: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (java.net.BindException e) {
            err.println("serve: cannot listen on " + options.bind().getHostAddress() + ":" + options.port() + ": " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "edgedeck-node-shutdown"));
        out.println("EdgeDeck node: " + show.name() + " (seed " + show.seed() + ")"
                + (node.restored() ? ", state restored from its journal" : ", new journal"));
        out.println("  API        " + node.baseUri() + "/api/v1  (health: " + node.baseUri() + "/healthz)");
        out.println("  token file " + node.tokenFile());
        out.println("  OFREP      " + node.baseUri() + "/ofrep/v1  (read key file: " + node.readKeyFile() + ")");
        out.println("  metrics    " + node.baseUri() + "/metrics  (the same read key, as a bearer token)");
        out.println("  data dir   " + options.dataDir().toAbsolutePath());
        if (node.tokenWarning() != null) {
            err.println("serve: warning: " + node.tokenWarning());
        }
        if (!options.bind().isLoopbackAddress()) {
            err.println("serve: warning: listening on " + options.bind().getHostAddress()
                    + ", beyond this machine; anyone who can reach it and holds the token can change flags");
        }
        out.println("Stop with Ctrl-C.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }
}
