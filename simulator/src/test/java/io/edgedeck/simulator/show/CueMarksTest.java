package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every cue leaves a mark on the show's timeline, surges and mood shifts included, scripted or fired by hand. */
class CueMarksTest {

    private static Show play(String name, long untilMillis) {
        var scenario = ScenarioCatalog.load(name);
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < untilMillis) {
            show.step();
        }
        return show;
    }

    @Test
    void viralSurgesTrafficSurgeAtThreeMinutesIsOnTheTimeline() {
        Show show = play("viral-surge", 181_000);
        List<ShowEvent> audience = show.core().timeline().events().stream().filter(e -> e.kind().equals("audience")).toList();
        assertEquals(1, audience.size(), audience.toString());
        assertEquals(180_000, audience.getFirst().atMillis());
        assertEquals("traffic surge x5 for 300 s", audience.getFirst().label());
        assertEquals("cue", audience.getFirst().actor());
    }

    @Test
    void sentimentCrashsMoodShiftIsOnTheTimeline() {
        Show show = play("sentiment-crash", 301_000);
        assertTrue(show.core().timeline().events().stream().anyMatch(e -> e.kind().equals("audience") && e.atMillis() == 300_000
                && e.label().startsWith("chat mood shifts for offer-banner/treatment")), show.core().timeline().events().toString());
    }

    @Test
    void aSurgeFiredByHandIsMarkedWithWhoFiredItAndWhenItEnds() {
        Show show = play("steady-show", 10_000);
        show.fireCue(new CueRequest("traffic-surge", List.of(), 3, 5, null, null, "ana"));
        while (show.core().nowMillis() < 16_000) {
            show.step();
        }
        List<String> marks = show.core().timeline().events().stream().filter(e -> e.kind().equals("audience"))
                .map(e -> e.atMillis() / 1000 + " " + e.label() + " (" + e.actor() + ")").toList();
        assertEquals(List.of("10 traffic surge x3 for 5 s (ana)", "15 traffic surge ends (ana)"), marks);
    }
}
