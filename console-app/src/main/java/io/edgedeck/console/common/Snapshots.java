package io.edgedeck.console.common;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** PNG snapshots of what the console shows. */
public final class Snapshots {
    private Snapshots() {
    }

    /** Renders a node as it is now. FX thread. */
    public static BufferedImage capture(Node node) {
        WritableImage image = node.snapshot(null, null);
        return SwingFXUtils.fromFXImage(image, null);
    }

    /** Writes an image as a PNG. Any thread but the FX thread: this is file I/O. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Through a stream of our own, so a file that cannot be made fails with why (not ImageIO's
        // "Can't create an ImageOutputStream!").
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        }
    }
}
