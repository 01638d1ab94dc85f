package io.edgedeck.engine.journal;

import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.engine.flags.FlagCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kind of record that says how an event is counted, placed on the ingest log: written with
 * {@code ingestApplied} and the rest of it as it was, byte for byte as the journal format has it, and
 * read back equal to the record made with the field.
 */
class IngestPlacedKindsTest {
    private static final FlagCommand KILL = new FlagCommand.Kill("banner", "pat", "why", 10);
    private static final GuardrailFiring FIRING = new GuardrailFiring(10, "guard", "banner", "treatment", GuardrailAction.ROLLBACK,
            List.of("fra"), "breach", true, "guardrail:guard", Map.of("negative", 0.5));
    private static final List<JournalRecord.Step> STEPS = List.of(new JournalRecord.Step(KILL, null, null),
            new JournalRecord.Step(null, new JournalRecord.ArmStep("guard", false), null));

    /** Each kind as the node makes it (without the field), and as it should read back placed at 42. */
    private static final List<List<JournalRecord>> KINDS = List.of(
            List.of(new JournalRecord.FlagChanged(2, 10, KILL), new JournalRecord.FlagChanged(2, 10, KILL, 42L)),
            List.of(new JournalRecord.GuardrailArmed(3, 10, "guard", true, "pat", "arm"),
                    new JournalRecord.GuardrailArmed(3, 10, "guard", true, "pat", "arm", 42L)),
            List.of(new JournalRecord.GuardrailFired(4, 10, FIRING), new JournalRecord.GuardrailFired(4, 10, FIRING, 42L)),
            List.of(new JournalRecord.VariantPaused(5, 10, "banner", "treatment", true, "pat", "pause"),
                    new JournalRecord.VariantPaused(5, 10, "banner", "treatment", true, "pat", "pause", 42L)),
            List.of(new JournalRecord.VariantRolledBackAt(6, 10, "banner", "treatment", List.of("fra", "ams"), "pat", "back"),
                    new JournalRecord.VariantRolledBackAt(6, 10, "banner", "treatment", List.of("fra", "ams"), "pat", "back", 42L)),
            List.of(new JournalRecord.VariantRollbackCleared(7, 10, "banner", "treatment", List.of("fra"), "pat", "clear"),
                    new JournalRecord.VariantRollbackCleared(7, 10, "banner", "treatment", List.of("fra"), "pat", "clear", 42L)),
            List.of(new JournalRecord.Audited(8, 10, "pat", "show.cue", "cue-1", "b", "a", "go"),
                    new JournalRecord.Audited(8, 10, "pat", "show.cue", "cue-1", "b", "a", "go", 42L)),
            List.of(new JournalRecord.ActionsApplied(9, 10, "pat", "playbook.run", "stop", "b", "a", "go", STEPS),
                    new JournalRecord.ActionsApplied(9, 10, "pat", "playbook.run", "stop", "b", "a", "go", STEPS, 42L)),
            List.of(new JournalRecord.ControlApplied(10, 10, "c-1", 3, "node-b", Map.of("flag:banner", 4L), "pat", "flag.kill",
                            "banner", "b", "a", "go", STEPS),
                    new JournalRecord.ControlApplied(10, 10, "c-1", 3, "node-b", Map.of("flag:banner", 4L), "pat", "flag.kill",
                            "banner", "b", "a", "go", STEPS, 42L)));

    private static final String WRITTEN = """
            {"type":"show.started","seq":1,"atMillis":0,"scenario":"show","seed":7}
            {"type":"flag","seq":2,"atMillis":10,"command":{"command":"kill","key":"banner","operator":"pat","reason":"why","atMillis":10},"ingestApplied":42}
            {"type":"guardrail.armed","seq":3,"atMillis":10,"rule":"guard","armed":true,"operator":"pat","reason":"arm","ingestApplied":42}
            {"type":"guardrail.fired","seq":4,"atMillis":10,"firing":{"atMillis":10,"rule":"guard","flag":"banner","variant":"treatment","action":"rollback","pops":["fra"],"reason":"breach","automatic":true,"actor":"guardrail:guard","values":{"negative":0.5}},"ingestApplied":42}
            {"type":"variant.paused","seq":5,"atMillis":10,"flag":"banner","variant":"treatment","paused":true,"operator":"pat","reason":"pause","ingestApplied":42}
            {"type":"variant.rolled-back-at","seq":6,"atMillis":10,"flag":"banner","variant":"treatment","pops":["fra","ams"],"operator":"pat","reason":"back","ingestApplied":42}
            {"type":"variant.rollback-cleared","seq":7,"atMillis":10,"flag":"banner","variant":"treatment","pops":["fra"],"operator":"pat","reason":"clear","ingestApplied":42}
            {"type":"audit","seq":8,"atMillis":10,"actor":"pat","action":"show.cue","target":"cue-1","before":"b","after":"a","reason":"go","ingestApplied":42}
            {"type":"actions","seq":9,"atMillis":10,"actor":"pat","action":"playbook.run","target":"stop","before":"b","after":"a","reason":"go","steps":[{"flag":{"command":"kill","key":"banner","operator":"pat","reason":"why","atMillis":10}},{"guardrail":{"rule":"guard","armed":false}}],"ingestApplied":42}
            {"type":"control.applied","seq":10,"atMillis":10,"id":"c-1","offset":3,"issuer":"node-b","versions":{"flag:banner":4},"actor":"pat","action":"flag.kill","target":"banner","before":"b","after":"a","reason":"go","steps":[{"flag":{"command":"kill","key":"banner","operator":"pat","reason":"why","atMillis":10}},{"guardrail":{"rule":"guard","armed":false}}],"ingestApplied":42}
            """;

    @Test
    void everyKindPlacedOnTheIngestLogIsHere() {
        assertEquals(Set.of(JournalRecord.PlacedOnIngest.class.getPermittedSubclasses()),
                KINDS.stream().map(k -> k.get(0).getClass()).collect(Collectors.toSet()));
    }

    @Test
    void everyKindIsWrittenWithWhereItWasPlacedAndReadsBackEqual(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        try (FileJournal journal = FileJournal.open(file)) {
            Journal at = new AtIngestJournal(journal, () -> 42);
            at.append(new JournalRecord.ShowStarted(1, 0, "show", 7));
            for (List<JournalRecord> kind : KINDS) {
                at.append(kind.get(0));
            }
        }
        assertEquals(WRITTEN, Files.readString(file));
        try (FileJournal again = FileJournal.open(file)) {
            List<JournalRecord> read = again.records();
            for (int i = 0; i < KINDS.size(); i++) {
                assertEquals(KINDS.get(i).get(1), read.get(i + 1));
            }
        }
    }
}
