package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.ScenarioCatalog;

import java.io.PrintStream;
import java.util.List;

/** {@code scenarios}: the built-in scenarios, one per line, name then description. */
final class ScenariosCommand implements Command {

    @Override
    public String name() {
        return "scenarios";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public String summary() {
        return "list the built-in scenarios";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("scenarios takes no arguments, got: " + String.join(" ", args));
            return ExitCode.BAD_INPUT;
        }
        List<ScenarioCatalog.Entry> entries = ScenarioCatalog.list();
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (ScenarioCatalog.Entry entry : entries) {
            out.println(String.format("%-" + width + "s  %s", entry.name(), entry.description()));
        }
        return ExitCode.OK;
    }
}
