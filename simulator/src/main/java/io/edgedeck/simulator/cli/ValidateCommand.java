package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioError;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code validate FILE}: checks a scenario file and reports every problem in compiler form. */
final class ValidateCommand implements Command {

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String arguments() {
        return "FILE";
    }

    @Override
    public String summary() {
        return "check a scenario file; errors as FILE:line:column: $.path: message, exit 2 if invalid";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 1) {
            err.println("usage: validate FILE");
            return ExitCode.BAD_INPUT;
        }
        String file = args.getFirst();
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
