package io.edgedeck.simulator.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines (LF or CRLF) from a byte stream, none longer than a limit: a longer line is skipped to
 * its end without being held in memory and reported as {@link Line#tooLong()}, so one huge line costs
 * a count, not the heap. Text is decoded as UTF-8 (malformed bytes become U+FFFD). Not thread-safe.
 */
public final class BoundedLineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long lineNumber;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * One line read.
     *
     * @param number  1-based
     * @param text    the line without its terminator; null when it was too long
     * @param length  its length in bytes, counted up to the limit and beyond
     */
    public record Line(long number, String text, long length) {
        public boolean tooLong() {
            return text == null;
        }
    }

    /** True when bytes already read from the stream are waiting: the next line may need no blocking read. */
    public boolean buffered() {
        return pos < limit;
    }

    /** The next line, or null at the end of the stream. A last line without terminator counts. */
    public Line next() throws IOException {
        int size = 0;
        long length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) {
                        return null;
                    }
                    return finish(size, length);
                }
            }
            any = true;
            byte b = buffer[pos++];
            if (b == '\n') {
                return finish(size, length);
            }
            length++;
            if (length <= maxLineBytes) {
                if (size == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[size++] = b;
            }
        }
    }

    private Line finish(int size, long length) {
        lineNumber++;
        if (length > maxLineBytes) {
            return new Line(lineNumber, null, length);
        }
        int end = size > 0 && line[size - 1] == '\r' ? size - 1 : size;
        return new Line(lineNumber, new String(line, 0, end, StandardCharsets.UTF_8), length);
    }
}
