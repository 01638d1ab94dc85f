package io.edgedeck.simulator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.journal.Compaction;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.Snapshot;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.engine.journal.SnapshotStore;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code replay --journal FILE [--scenario NAME|FILE] [--dry-run RULE.json ...] [--report FILE]}:
 * plays a recorded show again from its journal, checks that the engine makes the same journal,
 * and, with {@code --dry-run}, lists when extra guardrail rules would have fired, without acting.
 */
@Command(name = "replay", description = "play a recorded show again from its journal; --dry-run lists when a rule would have fired",
        mixinStandardHelpOptions = true)
final class ReplayCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    @Option(names = "--journal", required = true, paramLabel = "FILE|DIR",
            description = "the recording: a serve node's data directory (or its journal.jsonl), or a file from run --journal")
    Path journalFile;

    @Option(names = "--scenario", paramLabel = "NAME|FILE",
            description = "the recorded show's scenario file, when it is not a built-in show")
    String scenarioName;

    @Option(names = "--dry-run", paramLabel = "RULE.json", description = "a guardrail rule to check without acting; repeatable")
    List<Path> dryRuns = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "write the JSON report here")
    Path report;

    private final PrintStream out;
    private final PrintStream err;

    ReplayCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A record as JSON without its position, which the show clock's records shift. */
    private static com.fasterxml.jackson.databind.JsonNode unnumbered(JournalRecord r) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(r);
        tree.remove("seq");
        return tree;
    }

    @Override
    public Integer call() throws IOException {
        List<OutputPaths.Other> inputs = new ArrayList<>(List.of(OutputPaths.Other.readWhole("--journal", journalFile)));
        inputs.add(OutputPaths.Other.scenario(scenarioName));
        dryRuns.forEach(rule -> inputs.add(OutputPaths.Other.read("--dry-run", rule)));
        if (report != null && !OutputPaths.fileWritable("replay", "--report", report, err, inputs.toArray(OutputPaths.Other[]::new))) {
            return ExitCode.BAD_INPUT;
        }
        // A command that only reads creates nothing: a path that names nothing is said to, before it is opened.
        if (!Files.exists(journalFile)) {
            err.println("replay: " + journalFile + ": no such file");
            return ExitCode.BAD_INPUT;
        }
        if (Files.isDirectory(journalFile) && !Files.isRegularFile(journalFile.resolve(SnapshotJournal.FILE))) {
            err.println("replay: " + journalFile + ": no " + SnapshotJournal.FILE + " in it: not a node's data directory");
            return ExitCode.BAD_INPUT;
        }
        Path dir = Files.isDirectory(journalFile) ? journalFile
                : journalFile.getFileName().toString().equals(SnapshotJournal.FILE) && journalFile.toAbsolutePath().getParent() != null
                        && !SnapshotStore.files(journalFile.toAbsolutePath().getParent()).isEmpty()
                        ? journalFile.toAbsolutePath().getParent() : null;
        Path home = dir != null ? dir : journalFile.toAbsolutePath().getParent();
        if (home != null && EdgeNode.isLiveDataDirectory(home)) {
            // A live node's engine took real traffic: nothing deterministic can make that show again.
            err.println("replay: " + journalFile + " is a live node's journal: its show came from real traffic, which a replay"
                    + " cannot play again (replay plays back rehearsals). The node's history, audit and report are in its API"
                    + " (GET /api/v1/pops/{id}/history, /api/v1/audit/export, /api/v1/report), and the console's diagnostic bundle holds them");
            return ExitCode.BAD_INPUT;
        }
        List<JournalRecord> recording;
        Snapshot snapshot = null;
        boolean torn;
        // Evidence is read, never changed: a torn record stays in its file and a damaged snapshot keeps its name,
        // as a node's start would not leave them, so what the node left can still be looked at after a replay.
        try {
            if (dir != null) {
                SnapshotJournal.ReadOnly read = SnapshotJournal.readOnly(dir);
                recording = read.records();
                torn = read.torn();
                snapshot = read.recovery().snapshot();
                for (int i = 0; i < read.recovery().refused().size(); i++) {
                    err.println("replay: snapshot refused: " + read.recovery().refused().get(i) + " (left as it is; a node's"
                            + " start would set it aside as " + read.asideAs().get(i).getFileName() + ")");
                }
                if (snapshot != null) {
                    err.printf(Locale.ROOT, "replay: from snapshot %s (records 1 to %d) and the %d journal records after it%n",
                            SnapshotStore.fileOf(dir, snapshot.coversSeq()).getFileName(), snapshot.coversSeq(),
                            read.recovery().tailRecords());
                }
            } else {
                FileJournal.Read read = FileJournal.readOnly(journalFile);
                recording = read.records();
                torn = read.torn();
            }
            if (torn) {
                err.println("replay: the last record of " + (dir != null ? dir.resolve(SnapshotJournal.FILE) : journalFile)
                        + " was torn (left as it is; a node's start would cut it off); replaying the "
                        + recording.size() + " records before it");
            }
        } catch (NoSuchFileException e) {
            err.println("replay: " + journalFile + ": no such file");
            return ExitCode.BAD_INPUT;
        } catch (IOException e) {
            err.println("replay: " + journalFile + ": " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (recording.isEmpty() || !(recording.getFirst() instanceof JournalRecord.ShowStarted started)) {
            err.println("replay: " + journalFile + " does not start with show.started: not a show's journal");
            return ExitCode.BAD_INPUT;
        }
        Scenario scenario;
        String name = scenarioName != null ? scenarioName : started.scenario();
        try {
            // A scenario file's show carries the file in its first record: the journal alone replays it.
            scenario = scenarioName == null && started.document() != null
                    ? ScenarioParser.parse(JSON.writeValueAsBytes(started.document()))
                    : ScenarioCatalog.resolve(name);
        } catch (ScenarioCatalog.UnknownScenarioException e) {
            err.println("replay: the recording is of '" + started.scenario() + "', which is not built in: give its file with --scenario");
            return ExitCode.BAD_INPUT;
        } catch (ScenarioValidationException e) {
            e.errors().forEach(x -> err.println(x.toString(name)));
            return ExitCode.BAD_INPUT;
        }
        if (!scenario.name().equals(started.scenario())) {
            err.println("replay: the recording is of '" + started.scenario() + "', the scenario given is '" + scenario.name() + "'");
            return ExitCode.BAD_INPUT;
        }
        MemoryJournal regenerated = new MemoryJournal();
        Show show = new Show(new ShowDefinition(scenario, started.seed(), started.document()), regenerated);
        for (Path rule : dryRuns) {
            try {
                show.core().guardrails().addDryRun(JSON.readValue(rule.toFile(), GuardrailSpec.class));
            } catch (NoSuchFileException e) {
                err.println("replay: --dry-run " + rule + ": no such file");
                return ExitCode.BAD_INPUT;
            } catch (IOException e) {
                err.println("replay: --dry-run " + rule + ": not a guardrail rule: " + e.getMessage().lines().findFirst().orElse(""));
                return ExitCode.BAD_INPUT;
            } catch (IllegalArgumentException | NullPointerException e) {
                err.println("replay: --dry-run " + rule + ": " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
        }
        show.replay(recording);
        // A node journals where its show clock is every second of wall time: that depends on the wall
        // clock, not the show, so it is left out of the comparison, as are the Idempotency-Keys of the
        // requests it took and what a start audited of its configuration (connectors, approval lanes,
        // guardrail specs: the node's, not the engine's). A snapshot keeps the records whose
        // history matters as they were and folds the rest: the engine's own records it folded are
        // left out too, the first `folded` of them, as the engine makes them in the same order.
        long coversSeq = snapshot == null ? 0 : snapshot.coversSeq();
        recording = recording.stream().filter(r -> !(r instanceof JournalRecord.ShowClock) && !Compaction.idempotency(r))
                .filter(r -> !configAudited(r))
                .filter(r -> r.seq() > coversSeq && !(r instanceof JournalRecord.CheckoutsState) || Compaction.kept(r)).toList();
        long wall = RunCommand.play(show, 0, err);
        var result = Reports.of(show, wall);
        out.print(Reports.summary(result));
        long[] toSkip = {snapshot == null ? 0 : snapshot.folded()};
        List<JournalRecord> again = regenerated.records().stream().filter(r -> !(r instanceof JournalRecord.ShowClock))
                .filter(r -> !configAudited(r))
                .filter(r -> !(Compaction.folded(r) && toSkip[0]-- > 0)).toList();
        int same = 0;
        while (same < Math.min(recording.size(), again.size()) && unnumbered(recording.get(same)).equals(unnumbered(again.get(same)))) {
            same++;
        }
        if (same == recording.size()) {
            out.printf(Locale.ROOT, "replay     the engine made the same %,d journal records as the recording%n", same);
            if (snapshot != null) {
                out.printf(Locale.ROOT, "replay     (the snapshot folded %,d checkout and emote records into their sums: the engine's"
                        + " first %,d of those are not compared)%n", snapshot.folded(), snapshot.folded());
            }
        } else {
            out.printf(Locale.ROOT, "replay     the journals part at record %d: recorded %s, replayed %s%n", same + 1,
                    recording.get(same), same < again.size() ? again.get(same) : "nothing");
        }
        for (GuardrailFiring f : show.core().guardrails().dryRunFirings()) {
            out.printf(Locale.ROOT, "dry run    %s would have fired at %.1f s: %s %s/%s (%s)%n", f.rule(), f.atMillis() / 1000.0,
                    f.action(), f.flag(), f.variant(), f.reason());
        }
        if (!dryRuns.isEmpty() && show.core().guardrails().dryRunFirings().isEmpty()) {
            out.println("dry run    no rule would have fired");
        }
        if (report != null) {
            if (!OutputPaths.write("replay", "--report", report, Reports.toJson(result) + "\n", err)) {
                return ExitCode.INTERNAL_ERROR;
            }
            out.println("report     " + report);
        }
        return same == recording.size() ? ExitCode.OK : ExitCode.INTERNAL_ERROR;
    }

    /** What a node's start audited of its configuration: the node's record, which the scenario does not make. */
    private static boolean configAudited(JournalRecord r) {
        return r instanceof JournalRecord.Audited a && EdgeNode.CONFIG_ACTOR.equals(a.actor());
    }
}
