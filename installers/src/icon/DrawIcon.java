import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Draws the EdgeDeck icon: a deck of PoP tiles (three healthy, one warning) under a latency
 * trace, in the dark theme's colours. Drawn as vectors at each size rather than scaled from one
 * bitmap, so the 16 and 32 pixel sizes stay sharp.
 *
 * <p>Writes {@code edgedeck.png} (Linux, 256 px), {@code edgedeck.ico} (Windows) and
 * {@code edgedeck.icns} (macOS) into the directory given as the only argument. Both container
 * formats hold PNG images, which Windows Vista+ and macOS 10.7+ read.
 */
public final class DrawIcon {
    private static final Color BACKGROUND = new Color(0x0e1116);
    private static final Color SURFACE = new Color(0x202733);
    private static final Color OK = new Color(0x3ddc84);
    private static final Color WARN = new Color(0xffb020);
    private static final Color REHEARSAL = new Color(0x2bb3a3);
    private static final Color TRACE = new Color(0xe8edf4);

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java DrawIcon.java OUTPUT_DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.write(dir.resolve("edgedeck.png"), png(256));
        Files.write(dir.resolve("edgedeck.ico"), ico(16, 24, 32, 48, 64, 128, 256));
        Map<String, Integer> icnsTypes = new LinkedHashMap<>();
        icnsTypes.put("ic07", 128);
        icnsTypes.put("ic08", 256);
        icnsTypes.put("ic09", 512);
        icnsTypes.put("ic10", 1024);
        Files.write(dir.resolve("edgedeck.icns"), icns(icnsTypes));
        System.out.println("Icons written to " + dir);
    }

    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(size / 256.0, size / 256.0);

            g.setColor(BACKGROUND);
            g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56));
            g.setColor(REHEARSAL);
            g.setStroke(new BasicStroke(6f));
            g.draw(new RoundRectangle2D.Double(11, 11, 234, 234, 52, 52));

            Color[] tiles = {OK, OK, OK, WARN};
            for (int i = 0; i < tiles.length; i++) {
                double x = 40 + (i % 2) * 92;
                double y = 40 + (i / 2) * 92;
                g.setColor(SURFACE);
                g.fill(new RoundRectangle2D.Double(x, y, 84, 84, 20, 20));
                g.setColor(tiles[i]);
                g.fill(new RoundRectangle2D.Double(x + 14, y + 52, 56, 16, 8, 8));
            }

            Path2D trace = new Path2D.Double();
            trace.moveTo(30, 150);
            trace.lineTo(86, 150);
            trace.lineTo(108, 96);
            trace.lineTo(136, 196);
            trace.lineTo(160, 132);
            trace.lineTo(226, 132);
            g.setColor(BACKGROUND);
            g.setStroke(new BasicStroke(26f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(trace);
            g.setColor(TRACE);
            g.setStroke(new BasicStroke(12f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(trace);
        } finally {
            g.dispose();
        }
        return img;
    }

    static byte[] png(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(draw(size), "png", out)) {
            throw new IOException("no PNG writer in this JDK");
        }
        return out.toByteArray();
    }

    /** ICONDIR, one ICONDIRENTRY per size, then the PNG payloads; all fields little-endian. */
    static byte[] ico(int... sizes) throws IOException {
        byte[][] images = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            images[i] = png(sizes[i]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LittleEndian out = new LittleEndian(bytes);
        out.u16(0);
        out.u16(1);
        out.u16(sizes.length);
        int offset = 6 + 16 * sizes.length;
        for (int i = 0; i < sizes.length; i++) {
            // 0 in the width and height bytes means 256.
            out.u8(sizes[i] >= 256 ? 0 : sizes[i]);
            out.u8(sizes[i] >= 256 ? 0 : sizes[i]);
            out.u8(0);
            out.u8(0);
            out.u16(1);
            out.u16(32);
            out.u32(images[i].length);
            out.u32(offset);
            offset += images[i].length;
        }
        for (byte[] image : images) {
            bytes.write(image);
        }
        return bytes.toByteArray();
    }

    /** 'icns', total length, then per image a four-letter type, its length with header, the PNG. */
    static byte[] icns(Map<String, Integer> typesToSizes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        for (Map.Entry<String, Integer> e : typesToSizes.entrySet()) {
            byte[] image = png(e.getValue());
            out.writeBytes(e.getKey());
            out.writeInt(8 + image.length);
            out.write(image);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(file);
        header.writeBytes("icns");
        header.writeInt(8 + body.size());
        body.writeTo(file);
        return file.toByteArray();
    }

    private record LittleEndian(OutputStream out) {
        void u8(int v) throws IOException {
            out.write(v);
        }

        void u16(int v) throws IOException {
            out.write(v);
            out.write(v >>> 8);
        }

        void u32(int v) throws IOException {
            u16(v);
            u16(v >>> 16);
        }
    }
}
