package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.ScenarioCatalog;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code scenarios}: the built-in scenarios, one per line, name then description. */
@Command(name = "scenarios", description = "list the built-in scenarios", mixinStandardHelpOptions = true)
final class ScenariosCommand implements Callable<Integer> {
    private final PrintStream out;

    ScenariosCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        List<ScenarioCatalog.Entry> entries = ScenarioCatalog.list();
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (ScenarioCatalog.Entry entry : entries) {
            out.println(String.format("%-" + width + "s  %s", entry.name(), entry.description()));
        }
        return ExitCode.OK;
    }
}
