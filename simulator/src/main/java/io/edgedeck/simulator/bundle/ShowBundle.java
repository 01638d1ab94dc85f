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
        var engine = show.engine();
        long end = engine.nowMillis() / 1000;
        Map<String, PopHistory> history = new LinkedHashMap<>();
        for (int i = 0; i < engine.popCount(); i++) {
            history.put(engine.popId(i), engine.history(engine.popId(i), 0, end));
        }
        var definition = show.definition();
        ShowState state = show.finished() ? ShowState.FINISHED : ShowState.PAUSED;
        return BundleWriter.assemble(createdBy, definition.name(), definition.seed(), ConnectionMode.REHEARSAL.name(),
                definition.name() + " (seed " + definition.seed() + ")", engine.nowMillis(), history, engine.events(),
                engine.experiments().audit(), engine.experiments().views(engine.nowMillis()), show.frame(state, 0), Map.of());
    }
}
