package io.edgedeck.engine.triggers;

import io.edgedeck.client.model.TriggerAudit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine keeps each session as one record, side by side with other sessions' records in one
 * array (as the simulated audience keeps them, moving the last session into a leaver's place) or
 * in an array of its own. Played against {@link ReferenceTriggerEngine}, the engine as first
 * written with a session's state in objects of its own, on random rules, limits and interactions
 * (replays of recent event ids, sessions started past 2^31 ms, event ids past 2^32, conversions,
 * sessions leaving), it fires the same rules at every interaction and ends with the same totals and
 * audit counts.
 */
class TriggerRecordsTest {
    private static final InteractionKind[] KINDS = InteractionKind.values();

    @Test
    void recordsSideBySideBehaveExactlyAsSessionsOfTheirOwn() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int round = 0; round < 60; round++) {
            play(random, round);
        }
    }

    private static void play(SplittableRandom random, int round) {
        List<TriggerRule> rules = randomRules(random, round % 5 == 4 ? 40 : 1 + random.nextInt(6));
        TriggerLimits limits = new TriggerLimits(1 + random.nextInt(4), 1 + random.nextInt(90_000), 1 + random.nextInt(12),
                random.nextInt(20_000));
        var engine = new TriggerEngine(rules, limits);
        var reference = new ReferenceTriggerEngine(rules, limits);
        int stride = engine.recordInts();
        int capacity = 64;
        int[] records = new int[capacity * stride];
        List<ReferenceTriggerEngine.Session> referenceSessions = new ArrayList<>();
        List<SessionTriggerState> alone = new ArrayList<>();
        List<ReferenceTriggerEngine.Session> aloneReference = new ArrayList<>();
        long[] nextId = new long[capacity];
        long now = random.nextBoolean() ? 0 : (1L << 31) + random.nextInt(1_000_000);
        for (int step = 0; step < 20_000; step++) {
            now += random.nextInt(random.nextInt(50) == 0 ? 30_000 : 400);
            int active = referenceSessions.size();
            int what = random.nextInt(100);
            if (active < capacity && (active == 0 || what < 3)) {
                engine.startSession(records, active * stride, now);
                referenceSessions.add(reference.newSession(now));
                nextId[active] = random.nextBoolean() ? random.nextLong() : 1;
                continue;
            }
            if (what < 5) {
                // the last session takes the leaver's place
                int slot = random.nextInt(active);
                int last = active - 1;
                System.arraycopy(records, last * stride, records, slot * stride, stride);
                referenceSessions.set(slot, referenceSessions.get(last));
                referenceSessions.remove(last);
                nextId[slot] = nextId[last];
                continue;
            }
            if (what < 7 && alone.size() < 3) {
                alone.add(engine.newSession(now));
                aloneReference.add(reference.newSession(now));
                continue;
            }
            boolean onItsOwn = !alone.isEmpty() && what < 40;
            int slot = random.nextInt(onItsOwn ? alone.size() : active);
            if (random.nextInt(12) == 0) {
                if (onItsOwn) {
                    engine.onConversion(alone.get(slot));
                    reference.onConversion(aloneReference.get(slot));
                } else {
                    engine.onConversion(records, slot * stride);
                    reference.onConversion(referenceSessions.get(slot));
                }
                continue;
            }
            InteractionKind kind = KINDS[random.nextInt(KINDS.length)];
            // now and then an event id seen a little while ago comes again; on their own, sessions draw
            // ids from a few that differ only past the low 32 bits
            long eventId = onItsOwn ? random.nextLong(1, 64) | (long) random.nextInt(3) << 32
                    : random.nextInt(8) == 0 ? nextId[slot] - random.nextInt(4) : nextId[slot]++;
            long micros = random.nextInt(5_000);
            List<TriggerFiring> fired = onItsOwn
                    ? engine.onInteraction(alone.get(slot), kind, eventId, now, micros)
                    : engine.onInteraction(records, slot * stride, kind, eventId, now, micros);
            List<String> expected = reference.onInteraction(onItsOwn ? aloneReference.get(slot) : referenceSessions.get(slot),
                    kind, eventId, now, micros);
            final int at = step;
            assertEquals(expected, fired.stream().map(TriggerFiring::ruleId).toList(), () -> "round " + round + ", step " + at);
        }
        TriggerStats stats = engine.stats();
        for (int r = 0; r < rules.size(); r++) {
            assertEquals(reference.firings[r], stats.firingsByRule().get(rules.get(r).id()), "firings of " + rules.get(r).id());
        }
        assertEquals(reference.rejectedDuplicates, stats.rejectedDuplicates());
        assertEquals(reference.rateLimited, stats.rateLimited());
        assertEquals(reference.latencyTotalMicros, stats.decisionLatencyMicrosTotal());
        assertEquals(reference.latencyMaxMicros, stats.decisionLatencyMicrosMax());
        TriggerAudit audit = engine.audit(now);
        assertEquals(reference.sessions, audit.sessions());
        assertEquals(reference.convertedSessions, audit.convertedSessions());
        for (int r = 0; r < rules.size(); r++) {
            String id = rules.get(r).id();
            TriggerAudit.Row row = audit.triggers().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            assertEquals(reference.sessionsFired[r], row.sessionsFired(), "sessions fired, " + id);
            assertEquals(reference.convertedAfter[r], row.convertedAfter(), "converted after, " + id);
            assertEquals(reference.convertedSessions - reference.convertedAndFired[r], row.convertedNotFired(),
                    "converted not fired, " + id);
            for (int o = 0; o < rules.size(); o++) {
                if (o != r) {
                    assertEquals(reference.overlap[r][o], row.overlapSessions().get(rules.get(o).id()),
                            "overlap " + id + " with " + rules.get(o).id());
                }
            }
        }
    }

    private static List<TriggerRule> randomRules(SplittableRandom random, int n) {
        List<TriggerRule> rules = new ArrayList<>();
        TriggerAction[] actions = TriggerAction.values();
        for (int r = 0; r < n; r++) {
            long window = 1 + random.nextInt(random.nextBoolean() ? 5_000 : 120_000);
            TriggerAction action = actions[random.nextInt(actions.length)];
            if (random.nextBoolean()) {
                // a sequence, which may repeat a kind
                InteractionKind[] sequence = new InteractionKind[1 + random.nextInt(5)];
                for (int i = 0; i < sequence.length; i++) {
                    sequence[i] = KINDS[random.nextInt(random.nextBoolean() ? 3 : KINDS.length)];
                }
                rules.add(TriggerRule.sequence("rule-" + r, window, action, sequence));
            } else {
                InteractionKind[] kinds = new InteractionKind[1 + random.nextInt(3)];
                for (int i = 0; i < kinds.length; i++) {
                    kinds[i] = KINDS[random.nextInt(KINDS.length)];
                }
                rules.add(TriggerRule.atLeast("rule-" + r, 1 + random.nextInt(6), window, action, kinds));
            }
        }
        return rules;
    }
}
