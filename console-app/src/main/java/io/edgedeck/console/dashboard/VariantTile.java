package io.edgedeck.console.dashboard;

import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One variant's conversion tile: its rate, lift against control, counts, and what changed it at the edge. */
public final class VariantTile {
    private final String flag;
    private final String variant;
    final ReadOnlyDoubleWrapper ratePercent = new ReadOnlyDoubleWrapper(this, "ratePercent");
    final ReadOnlyStringWrapper lift = new ReadOnlyStringWrapper(this, "lift", "");
    final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    final ReadOnlyStringWrapper moved = new ReadOnlyStringWrapper(this, "moved", "");
    final ReadOnlyStringWrapper movedShort = new ReadOnlyStringWrapper(this, "movedShort", "");
    final ReadOnlyStringWrapper movedShortest = new ReadOnlyStringWrapper(this, "movedShortest", "");
    final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.OK);
    final ReadOnlyStringWrapper action = new ReadOnlyStringWrapper(this, "action", "");
    EdgeActionsViewModel.Kind actionKind;
    /** No new exposure lately: grey, yet an unacknowledged action keeps its colour (a rolled-back variant takes none). */
    boolean quiet;

    VariantTile(String flag, String variant) {
        this.flag = flag;
        this.variant = variant;
    }

    public String key() {
        return flag + "/" + variant;
    }

    public String title() {
        return flag + " · " + variant;
    }

    /** Conversions per exposure, in %; NaN before the variant's first exposure. */
    public ReadOnlyDoubleProperty ratePercentProperty() {
        return ratePercent.getReadOnlyProperty();
    }

    /**
     * "lift +4.1% vs control", or "control (baseline)"; after a while with no new exposure, how long first
     * ("no exposures for 25 s · lift +4.1% vs control").
     */
    public ReadOnlyStringProperty liftProperty() {
        return lift.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /**
     * The sessions a flag change moved into this variant, their own cohort kept out of its rate
     * ("moved in by a flag change: 3,366 (184 converted)"), or empty when none were.
     */
    public ReadOnlyStringProperty movedProperty() {
        return moved.getReadOnlyProperty();
    }

    /** The same in fewer words, for a tile too narrow for them ("moved in: 3,366 (184 conv.)"), or empty. */
    public ReadOnlyStringProperty movedShortProperty() {
        return movedShort.getReadOnlyProperty();
    }

    /** The sessions alone, for a tile too narrow even for {@link #movedShortProperty} ("moved in: 3,366"), or empty. */
    public ReadOnlyStringProperty movedShortestProperty() {
        return movedShortest.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public String flag() {
        return flag;
    }

    public String variant() {
        return variant;
    }

    /**
     * "rolled back at 05:21 by sentiment-guard" until the operator acknowledges it, else empty:
     * while it is set the tile says this instead of its lift.
     */
    public ReadOnlyStringProperty actionProperty() {
        return action.getReadOnlyProperty();
    }

    /** The colour the tile shows: an unacknowledged rollback or kill red, a pause amber, else its status. */
    public Status shownStatus() {
        if (actionKind == null || status.get() == Status.STALE && !quiet) {
            return status.get();
        }
        return actionKind == EdgeActionsViewModel.Kind.PAUSED ? Status.WARN : Status.BAD;
    }
}
