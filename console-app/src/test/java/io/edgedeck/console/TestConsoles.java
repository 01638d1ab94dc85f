package io.edgedeck.console;

import io.edgedeck.console.connection.Connections;
import io.edgedeck.themes.Theme;
import javafx.stage.Stage;

/** The console on a stage, rehearsing a show, ticking: how every UI test begins. */
final class TestConsoles {
    private TestConsoles() {
    }

    static Console show(Stage stage, String scenario, Long seed, double speed) throws Exception {
        Console console = Console.create(Connections.rehearse(scenario, seed, speed), Theme.DARK);
        stage.setScene(console.scene());
        stage.setWidth(1320);
        stage.setHeight(820);
        stage.show();
        console.ticker().start();
        return console;
    }
}
