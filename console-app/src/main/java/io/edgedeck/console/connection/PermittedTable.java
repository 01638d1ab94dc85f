package io.edgedeck.console.connection;

import javafx.beans.value.ChangeListener;
import javafx.scene.control.TableView;
import javafx.util.Subscription;

import java.util.function.Consumer;

/**
 * A feature's table of things the operator changes (flags, guardrail rules), as who the console
 * acts as may use it: the view model follows its selection, its rows are drawn again whenever the
 * right to change them changes, and a change asked for without that right is refused with the
 * reason. Owns both listeners; {@link #dispose} removes them. FX thread.
 */
public final class PermittedTable<R> {
    private final TableView<R> table;
    private final ChangeListener<R> onSelect;
    private ActingAs actingAs;
    private Subscription onPermission = Subscription.EMPTY;

    /** @param selected told the selected row, or null, on every change of selection */
    public PermittedTable(TableView<R> table, Consumer<R> selected) {
        this.table = table;
        this.onSelect = (obs, old, now) -> selected.accept(now);
        table.getSelectionModel().selectedItemProperty().addListener(onSelect);
    }

    /** Follows who the console acts as: until this is called, every change is allowed. */
    public void limitTo(ActingAs who) {
        this.actingAs = who;
        onPermission.unsubscribe();
        onPermission = who.mayChangeProperty().subscribe(may -> table.refresh());
    }

    /** Whether the console may change the show now. */
    public boolean mayChange() {
        return actingAs == null || actingAs.mayChange();
    }

    /** Why a change is refused now, or empty. */
    public String refusal() {
        return actingAs == null ? "" : actingAs.refusalProperty().get();
    }

    /** Who the console acts as, or null until {@link #limitTo}. */
    public ActingAs actingAs() {
        return actingAs;
    }

    /** True when a change may be made now; otherwise tells {@code refuse} why not and returns false. */
    public boolean permits(Consumer<String> refuse) {
        if (mayChange()) {
            return true;
        }
        refuse.accept(refusal());
        return false;
    }

    public void dispose() {
        table.getSelectionModel().selectedItemProperty().removeListener(onSelect);
        onPermission.unsubscribe();
    }
}
