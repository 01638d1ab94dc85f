package io.edgedeck.engine.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.client.model.AuditEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlagReplayTest {

    @Test
    void replayingTheJournaledCommandsRebuildsTheSameRegistry() {
        var original = FlagRegistryTest.newRegistry();
        var journal = new ArrayList<FlagCommand>();
        var published = new ArrayList<AuditEntry>();
        original.subscribe((command, entry) -> {
            journal.add(command);
            published.add(entry);
        });

        int rejected = drive(original, new SplittableRandom(7));

        assertTrue(rejected > 0, "the sequence includes commands the registry rejects");
        assertTrue(journal.size() > 50, "the sequence includes many effective commands");
        assertEquals(original.audit(), published);

        var rebuilt = FlagRegistryTest.newRegistry();
        journal.forEach(rebuilt::apply);

        assertEquals(original.all(), rebuilt.all());
        assertEquals(original.audit(), rebuilt.audit());
        long end = journal.getLast().atMillis();
        for (long at = end; at <= end + 500; at += 50) {
            assertEquals(original.views(at), rebuilt.views(at));
            for (String pop : List.of("fra", "ams", "iad")) {
                for (FlagDefinition flag : original.all()) {
                    assertEquals(original.definitionAt(flag.key(), pop, at), rebuilt.definitionAt(flag.key(), pop, at));
                }
            }
        }
    }

    /** A seeded mix of valid and invalid operator actions; returns how many were rejected. */
    private static int drive(FlagRegistry registry, SplittableRandom random) {
        registry.create(FlagRegistryTest.checkoutButton(500), "maya", "first ramp", 0);
        registry.create(FlagRegistryTest.threeWay(), "sam", "layout test", 0);
        int rejected = 0;
        long now = 0;
        for (int i = 0; i < 200; i++) {
            now += random.nextInt(300);
            String key = random.nextBoolean() ? "checkout-button" : "stage-layout";
            long version = registry.get(key).orElseThrow().version() - (random.nextInt(5) == 0 ? 1 : 0);
            try {
                switch (random.nextInt(5)) {
                    case 0 -> registry.kill(key, "maya", "errors " + i, now);
                    case 1 -> registry.unkill(key, "maya", "recovered " + i, now);
                    case 2 -> registry.rollback(key, key.equals("stage-layout") ? "wide" : "on", "guardrail",
                            "breach " + i, now);
                    default -> {
                        int w = random.nextInt(-100, 10_001);
                        List<Variant> variants = key.equals("checkout-button")
                                ? List.of(new Variant("on", w), new Variant("off", 10_000 - w))
                                : List.of(new Variant("compact", w / 2), new Variant("wide", w / 2),
                                new Variant("classic", 10_000 - w / 2 * 2));
                        registry.change(key, version, variants, "sam", "ramp " + i, now);
                    }
                }
            } catch (FlagValidationException | FlagConflictException e) {
                rejected++;
            }
        }
        return rejected;
    }
}
