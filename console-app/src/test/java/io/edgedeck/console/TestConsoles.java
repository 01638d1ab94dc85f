package io.edgedeck.console;

import io.edgedeck.console.connection.Connections;
import io.edgedeck.themes.Theme;
import javafx.stage.Stage;

/** The console on a stage, rehearsing a show, ticking: how every UI test begins. */
public final class TestConsoles {
    private TestConsoles() {
    }

    static Console show(Stage stage, String scenario, Long seed, double speed) throws Exception {
        return show(stage, Connections.rehearse(scenario, seed, speed));
    }

    /** The console for any connection (a live node's, a rehearsal's) on the stage, ticking. FX thread. */
    public static Console show(Stage stage, io.edgedeck.client.EdgeConnection connection) {
        Console console = Console.create(connection, Theme.DARK);
        stage.setScene(console.scene());
        stage.setWidth(1320);
        stage.setHeight(820);
        stage.show();
        console.ticker().start();
        return console;
    }

    /** Stops the console's ticking and features, and closes its connection. */
    public static void close(Console console, io.edgedeck.client.EdgeConnection connection) {
        console.ticker().close();
        console.features().forEach(f -> f.dispose());
        connection.close();
    }
}
