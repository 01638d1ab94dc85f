package io.edgedeck.console.common;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TableView;

import java.util.function.Function;

/** Columns over immutable rows: the cell value is a function of the row, recomputed when the row is replaced. */
public final class Tables {
    private Tables() {
    }

    public static <R, T> TableColumn<R, T> column(TableView<R> table, String title, double width, Function<R, T> value) {
        TableColumn<R, T> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> constant(value.apply(cell.getValue())));
        c.setCellFactory(col -> new TextCell<>());
        c.setPrefWidth(width);
        c.setSortable(false);
        table.getColumns().add(c);
        return c;
    }

    /**
     * A column of text that wraps within the row's height even where it is in lines of its own: for text a
     * person must read whole (what an approver approves, what a change did), which ends in "…" only where the
     * row has no room left, and is then one hover away.
     */
    public static <R> TableColumn<R, String> wrappingColumn(TableView<R> table, String title, double width,
                                                            Function<R, String> value) {
        TableColumn<R, String> c = column(table, title, width, value);
        c.setCellFactory(col -> new TextCell<>(true));
        return c;
    }

    /**
     * A column of text that takes its status's colour (none for {@link Status#OK}): grey, say, while
     * what it says is stale. The status is read with the text, whenever the cell is drawn.
     */
    public static <R> TableColumn<R, R> statusColumn(TableView<R> table, String title, double width, Function<R, String> text,
                                                     Function<R, Status> status) {
        TableColumn<R, R> c = column(table, title, width, r -> r);
        c.setCellFactory(col -> new TextCell<R, R>() {
            @Override
            protected void updateItem(R item, boolean empty) {
                super.updateItem(item, empty);
                for (Status s : Status.values()) {
                    getStyleClass().remove(s.styleClass());
                }
                setText(empty || item == null ? null : text.apply(item));
                Status now = empty || item == null ? Status.OK : status.apply(item);
                if (now != Status.OK) {
                    getStyleClass().add(now.styleClass());
                }
            }
        });
        return c;
    }

    /**
     * Shows the value as text, wrapped over the row's height unless it is already in lines; whenever
     * the column still cuts it short, the whole text is one hover away in a tooltip.
     */
    private static class TextCell<R, T> extends TableCell<R, T> {
        private final Tooltip whole = new Tooltip();
        private final boolean alwaysWrap;

        TextCell() {
            this(false);
        }

        TextCell(boolean alwaysWrap) {
            this.alwaysWrap = alwaysWrap;
            whole.setWrapText(true);
            whole.setMaxWidth(640);
            whole.textProperty().bind(textProperty());
            // The cell lives as long as its table: the listener needs no removal.
            textTruncatedProperty().subscribe(cut -> setTooltip(cut ? whole : null));
        }

        @Override
        protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            String text = empty || item == null ? null : item.toString();
            setWrapText(text != null && (alwaysWrap || !text.contains("\n")));
            setText(text);
        }
    }

    /**
     * Rows that take their status's colour (none for {@link Status#OK}): amber, red, or grey when what
     * they show is stale.
     */
    public static <R> void statusRows(TableView<R> table, Function<R, Status> status) {
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(R row, boolean empty) {
                super.updateItem(row, empty);
                for (Status s : Status.values()) {
                    getStyleClass().remove(s.styleClass());
                }
                Status now = empty || row == null ? Status.OK : status.apply(row);
                if (now != Status.OK) {
                    getStyleClass().add(now.styleClass());
                }
            }
        });
    }

    private static <T> ObservableValue<T> constant(T value) {
        return new ReadOnlyObjectWrapper<>(value);
    }
}
