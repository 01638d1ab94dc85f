package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.guardrails.PreflightEffect;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ChoiceBox;
import javafx.stage.Stage;

import static io.edgedeck.console.ApprovalShowcase.await;
import static io.edgedeck.console.ApprovalShowcase.find;
import static io.edgedeck.console.ApprovalShowcase.onFx;
import static io.edgedeck.console.ApprovalShowcase.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Guardrails tab's pre-flight while it refines, as docs/GUARDRAILS.md shows it: a console rehearsing
 * conversion-drop (seed 1009, 1x) at the docs' 1320x820 in the dark theme, its Guardrails tab open; the pre-flight
 * is asked what a -20% conversion harm would do, as a producer asks it (the harm picked, Estimate pressed), and the
 * window is written once the estimate rests on seeds 1 to 12 (or the number asked) both ways, still playing the rest.
 *
 * <p>Arguments: the PNG to write, and optionally how many seeds the estimate should rest on (12). Run it on a
 * display (xvfb-run), as docs/screenshots.sh does.
 */
public final class PreflightShowcase {
    private static final Duration PATIENCE = Duration.ofMinutes(20);
    private static final Pattern REFINED = Pattern.compile("estimate so far from seeds 1 to (\\d+), refining");

    private PreflightShowcase() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        EdgeConnection rehearsal = Connections.rehearse("conversion-drop", 1009L, 1);
        Platform.startup(() -> { });
        Console console = onFx(() -> {
            Console c = TestConsoles.show(new Stage(), rehearsal);
            c.showTab("guardrails");
            return c;
        });
        await("the pre-flight offered", PATIENCE, () -> onFx(() -> find(console, "#preflight-button") instanceof ButtonBase b && !b.isDisabled()
                && b.isVisible()));
        onFx(() -> {
            @SuppressWarnings("unchecked")
            ChoiceBox<PreflightEffect> effect = (ChoiceBox<PreflightEffect>) find(console, "#preflight-effect");
            effect.setValue(PreflightEffect.CONVERSION_MINUS_20);
            ((ButtonBase) find(console, "#preflight-button")).fire();
            return null;
        });
        await("the estimate from seeds 1 to " + seeds, PATIENCE, () -> {
            Matcher m = REFINED.matcher(text(console, "#preflight-message"));
            return m.find() && Integer.parseInt(m.group(1)) >= seeds;
        });
        Snapshots.writePng(onFx(() -> Snapshots.capture((Parent) console.scene().getRoot())), out);
        System.out.println("Wrote " + out + ": " + text(console, "#preflight-message"));
        onFx(() -> {
            console.dispose();
            return null;
        });
        Platform.exit();
        System.exit(0);
    }
}
