package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioError;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code validate FILE}: checks a scenario file and reports every problem in compiler form. */
@Command(name = "validate", description = "check a scenario file; errors as FILE:line:column: $.path: message, exit 2 if invalid",
        mixinStandardHelpOptions = true)
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1", paramLabel = "FILE", description = "the scenario file")
    String file;

    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                err.println(file + ": is a directory, not a scenario file");
                return ExitCode.BAD_INPUT;
            }
            Scenario scenario = ScenarioParser.parse(path);
            int cues = scenario.cues().size();
            out.println("OK: " + scenario.name() + " (" + scenario.pops().size() + " PoPs, " + cues + (cues == 1 ? " cue)" : " cues)"));
            return ExitCode.OK;
        } catch (ScenarioValidationException e) {
            for (ScenarioError error : e.errors()) err.println(error.toString(file));
            return ExitCode.BAD_INPUT;
        } catch (NoSuchFileException | InvalidPathException e) {
            err.println(file + ": no such file");
            return ExitCode.BAD_INPUT;
        } catch (AccessDeniedException e) {
            err.println(file + ": permission denied");
            return ExitCode.BAD_INPUT;
        } catch (IOException e) {
            err.println(file + ": cannot be read: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
    }
}
