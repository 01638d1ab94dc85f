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
     * A column of text read whole however long (why a rule rolled a variant back, what a mark on the timeline says):
     * wrapped to the column's width, its row as tall as the text needs (a cell's own text would be sized to one row's
     * height and cut short with "…"); also a tooltip. For a table without a fixed cell size.
     */
    public static <R> TableColumn<R, String> wholeTextColumn(TableView<R> table, String title, double width, Function<R, String> value) {
        TableColumn<R, String> c = column(table, title, width, value);
        wholeText(c);
        return c;
    }

    /** Draws {@code column}'s text as {@link #wholeTextColumn}'s: wrapped to its width, its row as tall as the text needs. */
    public static <R> void wholeText(TableColumn<R, String> column) {
        column.setCellFactory(c -> new WholeTextCell<>(c, false));
    }

    /**
     * Draws {@code column}'s names (a rule's, a flag's, one a line) as {@link #wholeText} does, but a name too long for
     * the column's width is broken after a hyphen, underscore or dot ("sentiment-guard-" over "one-tap-checkout"), never
     * inside a part of it; the tooltip keeps each whole. Give the column a least width of its widest part
     * ({@link #nameParts}).
     */
    public static <R> void wholeNames(TableColumn<R, String> column) {
        column.setCellFactory(c -> new WholeTextCell<>(c, true));
    }

    /** The parts a name may be broken between, each ending at a hyphen, underscore or dot, and each word of a line. */
    public static java.util.List<String> nameParts(java.util.Collection<String> names) {
        return names.stream().flatMap(n -> java.util.Arrays.stream(n.split(NAME_BREAK + "|\\s+"))).filter(p -> !p.isEmpty()).toList();
    }

    private static final String NAME_BREAK = "(?<=[-_.])";

    /** {@code value}'s lines, each longer than {@code width} in {@code font} broken after its parts where they fill it. */
    static String breakNames(String value, javafx.scene.text.Font font, double width) {
        StringBuilder out = new StringBuilder();
        for (String line : value.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            StringBuilder now = new StringBuilder();
            for (String part : line.split(NAME_BREAK)) {
                if (now.length() > 0 && textWidth(now + part, font) > width) {
                    out.append(now).append('\n');
                    now.setLength(0);
                }
                now.append(part);
            }
            out.append(now);
        }
        return out.toString();
    }

    private static final class WholeTextCell<R> extends TableCell<R, String> {
        private final javafx.scene.text.Text text = new javafx.scene.text.Text();
        /** One for the cell, its words the whole value: a new one each frame would close the one being read. */
        private final Tooltip tip = new Tooltip();
        private final boolean names;
        private String value;

        WholeTextCell(TableColumn<R, String> column, boolean names) {
            this.names = names;
            text.wrappingWidthProperty().bind(column.widthProperty().subtract(16));
            text.fontProperty().bind(fontProperty());
            text.fillProperty().bind(textFillProperty());
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            if (names) {
                // broken again where the column's width or the font changes
                text.wrappingWidthProperty().subscribe(w -> show());
                fontProperty().subscribe(f -> show());
            }
        }

        private void show() {
            text.setText(value == null || !names ? value : breakNames(value, getFont(), text.getWrappingWidth()));
        }

        @Override
        protected void updateItem(String value, boolean empty) {
            super.updateItem(value, empty);
            boolean none = empty || value == null || value.isEmpty();
            this.value = none ? null : value;
            show();
            tip.setText(this.value);
            setGraphic(none ? null : text);
            setTooltip(none ? null : tip);
        }
    }

    /**
     * Keeps {@code column} at least as wide as its whole header and as each of {@code words} (what a cell must show on
     * one line: a rule's name, "AUTO ROLLBACK"), measured in the header's font, which is bold as a status cell's is:
     * where the table is short of width it takes it from the columns with room to spare, rather than break a name
     * inside itself or cut it to "…". The header's text moves into a label of its own, whose font is known once the
     * theme's style sheet applies; the words are read again whenever one of {@code dependencies} changes, and the
     * table shares out its width again whenever the least width changes (by itself it does so only when its own width
     * changes). Returns the least width, to invalidate where the words change otherwise.
     */
    public static javafx.beans.binding.DoubleBinding leastWidth(TableColumn<?, ?> column, java.util.function.Supplier<? extends java.util.Collection<String>> words,
                                  javafx.beans.Observable... dependencies) {
        javafx.scene.control.Label header;
        if (column.getGraphic() instanceof javafx.scene.control.Label l) {
            header = l;
        } else {
            header = new javafx.scene.control.Label(column.getText());
            column.setText(null);
            column.setGraphic(header);
        }
        header.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.beans.Observable[] all = java.util.Arrays.copyOf(dependencies, dependencies.length + 2);
        all[dependencies.length] = header.textProperty();
        all[dependencies.length + 1] = header.fontProperty();
        javafx.beans.binding.DoubleBinding holds = javafx.beans.binding.Bindings.createDoubleBinding(() -> widthFor(header, words.get()), all);
        column.minWidthProperty().bind(holds);
        // The column lives as long as its table: the subscription needs no removal.
        holds.subscribe(w -> {
            TableView<?> table = column.getTableView();
            if (table != null) {
                refit(table);
            }
        });
        return holds;
    }

    /**
     * The width {@code column} needs for each of {@code lines} on a line of its own, in its header's font ({@link #leastWidth}
     * having put the header in a label): a preferred width, where the least width lets the lines wrap. Read again whenever
     * one of {@code dependencies} changes.
     */
    public static javafx.beans.binding.DoubleBinding wholeWidth(TableColumn<?, ?> column,
            java.util.function.Supplier<? extends java.util.Collection<String>> lines, javafx.beans.Observable... dependencies) {
        javafx.scene.control.Label header = (javafx.scene.control.Label) column.getGraphic();
        javafx.beans.Observable[] all = java.util.Arrays.copyOf(dependencies, dependencies.length + 2);
        all[dependencies.length] = header.textProperty();
        all[dependencies.length + 1] = header.fontProperty();
        return javafx.beans.binding.Bindings.createDoubleBinding(() -> widthFor(header, lines.get()), all);
    }

    /** The width a column needs for its header and each of {@code words} on one line, in the header's font. */
    private static double widthFor(javafx.scene.control.Label header, java.util.Collection<String> words) {
        double widest = textWidth(header.getText(), header.getFont());
        for (String w : words) {
            widest = Math.max(widest, textWidth(w, header.getFont()));
        }
        // the cell's padding and the column's border either side
        return widest + 16;
    }

    /**
     * Shares {@code table}'s width among its columns again, each at least its least width: by itself a table does so only
     * when its own width changes, not when a column's least or preferred width does.
     */
    public static <R> void refit(TableView<R> table) {
        table.getColumnResizePolicy().call(new TableView.ResizeFeatures<>(table, null, 0.0));
    }

    /** How wide {@code text} is in {@code font}, its widest line where it has several. */
    public static double textWidth(String text, javafx.scene.text.Font font) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        javafx.scene.text.Text words = new javafx.scene.text.Text(text);
        words.setFont(font);
        return Math.ceil(words.getLayoutBounds().getWidth());
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
