package io.edgedeck.console.common;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.function.Function;

/** Columns over immutable rows: the cell value is a function of the row, recomputed when the row is replaced. */
public final class Tables {
    private Tables() {
    }

    public static <R, T> TableColumn<R, T> column(TableView<R> table, String title, double width, Function<R, T> value) {
        TableColumn<R, T> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> constant(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        table.getColumns().add(c);
        return c;
    }

    private static <T> ObservableValue<T> constant(T value) {
        return new ReadOnlyObjectWrapper<>(value);
    }
}
