package io.edgedeck.simulator.show;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in show, played twice with its seed, gives the same report but for the run figures. */
class BuiltInShowsTest {

    static List<String> names() {
        return ScenarioCatalog.NAMES;
    }

    private static RunReport play(String name) {
        var scenario = ScenarioCatalog.load(name);
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (!show.finished()) {
            show.step();
        }
        return Reports.of(show, 1);
    }

    @ParameterizedTest
    @MethodSource("names")
    void sameSeedSameReport(String name) {
        RunReport first = play(name);
        RunReport second = play(name);
        assertEquals(Reports.toJson(first.withoutRun()), Reports.toJson(second.withoutRun()));
        assertTrue(first.events().total() > 0);
        var c = first.checkouts();
        assertEquals(0, c.lost(), "no checkout is lost");
        assertEquals(c.attempted(), c.completed() + c.queued());
        assertEquals(c.queued(), c.reconciled(), "every queued checkout was reconciled by the end");
    }
}
