package io.edgedeck.simulator.bundle;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.simulator.show.Show;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bundle of a show played in this process (the command line, tests). Engine thread. */
public final class ShowBundle {
    private ShowBundle() {
    }

    public static Bundle capture(Show show, String createdBy) {
        var core = show.core();
        long end = core.nowMillis() / 1000;
        Map<String, PopHistory> history = new LinkedHashMap<>();
        for (int i = 0; i < core.pops().count(); i++) {
            history.put(core.pops().id(i), core.pops().history(core.pops().id(i), 0, end));
        }
        var definition = show.definition();
        ShowState state = show.finished() ? ShowState.FINISHED : ShowState.PAUSED;
        return BundleWriter.assemble(createdBy, definition.name(), definition.seed(), ConnectionMode.REHEARSAL.name(),
                definition.name() + " (seed " + definition.seed() + ")", core.nowMillis(), history, core.timeline().events(),
                core.experiments().audit(), core.experiments().views(core.nowMillis()), show.frame(state, 0), Map.of());
    }
}
