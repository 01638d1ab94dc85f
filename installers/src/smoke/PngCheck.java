import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Fails unless a file is a PNG of a drawn window: big enough, and not one flat colour. A console
 * that starts but renders nothing (a black or blank stage) writes a valid PNG too; the colour
 * check is what tells the two apart.
 *
 * <p>Usage: {@code java PngCheck.java FILE MIN_WIDTH MIN_HEIGHT}; exit 0 when it passes, 1 when not.
 */
public final class PngCheck {
    private static final long MIN_BYTES = 10_000;
    private static final int MIN_COLOURS = 32;
    private static final double MAX_SHARE_OF_ONE_COLOUR = 0.95;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java PngCheck.java FILE MIN_WIDTH MIN_HEIGHT");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int minWidth = Integer.parseInt(args[1]);
        int minHeight = Integer.parseInt(args[2]);
        if (!Files.isRegularFile(file)) {
            fail(file + " was not written");
        }
        long bytes = Files.size(file);
        if (bytes < MIN_BYTES) {
            fail(file + " is " + bytes + " bytes; a drawn window is over " + MIN_BYTES);
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            fail(file + " is not an image ImageIO can read");
        }
        if (image.getWidth() < minWidth || image.getHeight() < minHeight) {
            fail(file + " is " + image.getWidth() + "x" + image.getHeight() + ", expected at least "
                    + minWidth + "x" + minHeight);
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                counts.merge(image.getRGB(x, y), 1, Integer::sum);
            }
        }
        int pixels = image.getWidth() * image.getHeight();
        int commonest = counts.values().stream().max(Integer::compare).orElse(0);
        double share = (double) commonest / pixels;
        if (counts.size() < MIN_COLOURS || share > MAX_SHARE_OF_ONE_COLOUR) {
            fail(String.format("%s looks blank: %d colours, the commonest covers %.1f%% of it",
                    file, counts.size(), share * 100));
        }
        System.out.printf("%s: %d bytes, %dx%d, %d colours, commonest %.1f%%%n", file, bytes,
                image.getWidth(), image.getHeight(), counts.size(), share * 100);
    }

    private static void fail(String message) {
        System.err.println("PngCheck: " + message);
        System.exit(1);
    }
}
