package io.edgedeck.simulator.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines (LF or CRLF) from a byte stream, none longer than a limit: a longer line is skipped to
 * its end without being held in memory and reported as {@link Line#tooLong()}, so one huge line costs
 * a count, not the heap. The limit is on the line's own bytes, its terminator (LF or CRLF) not
 * counted: a line of exactly the limit is kept, whichever terminator it has. Text is decoded as
 * UTF-8 (malformed bytes become U+FFFD).
 *
 * <p>A read that fails (a socket's read timeout, say) in the middle of a line loses nothing: the
 * part already read is kept and the next {@link #next()} goes on with it. Not thread-safe.
 */
public final class BoundedLineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long lineNumber;
    /** The line being read: bytes held in {@link #line}, bytes seen (terminator excluded, beyond the limit too). */
    private int size;
    private long length;
    /** Whether the line being read has any byte yet, and whether its last byte was a CR. */
    private boolean any;
    private boolean lastWasCr;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * One line read.
     *
     * @param number  1-based
     * @param text    the line without its terminator; null when it was too long
     * @param length  its length in bytes without the terminator, counted up to the limit and beyond
     * @param replaced true when bytes of it were not UTF-8 (a surrogate's encoding among them) and became U+FFFD
     */
    public record Line(long number, String text, long length, boolean replaced) {
        public Line(long number, String text, long length) {
            this(number, text, length, false);
        }

        public boolean tooLong() {
            return text == null;
        }
    }

    /** True when bytes already read from the stream are waiting: the next line may need no blocking read. */
    public boolean buffered() {
        return pos < limit;
    }

    /**
     * The next line, or null at the end of the stream. A last line without terminator counts. When
     * reading fails, the part of the line read so far is kept for the next call.
     */
    public Line next() throws IOException {
        while (true) {
            if (pos == limit) {
                int read = in.read(buffer, 0, buffer.length);
                pos = 0;
                limit = Math.max(read, 0);
                if (read <= 0) {
                    if (!any) {
                        return null;
                    }
                    return finish();
                }
            }
            any = true;
            byte b = buffer[pos++];
            if (b == '\n') {
                return finish();
            }
            // A CR is held back until the next byte says whether it ends the line (CRLF) or belongs to it.
            if (lastWasCr) {
                append((byte) '\r');
            }
            lastWasCr = b == '\r';
            if (!lastWasCr) {
                append(b);
            }
        }
    }

    private void append(byte b) {
        length++;
        if (length <= maxLineBytes) {
            if (size == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
            }
            line[size++] = b;
        }
    }

    /** True when the first {@code size} bytes are UTF-8 throughout: a U+FFFD in their text was sent as one. */
    private static boolean wellFormed(byte[] bytes, int size) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, 0, size));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** The line read, and a fresh start for the next. A CR before LF, or before the end of the stream, is not part of it. */
    private Line finish() {
        lineNumber++;
        Line done;
        if (length > maxLineBytes) {
            done = new Line(lineNumber, null, length);
        } else {
            String text = new String(line, 0, size, StandardCharsets.UTF_8);
            done = new Line(lineNumber, text, length, text.indexOf('\uFFFD') >= 0 && !wellFormed(line, size));
        }
        size = 0;
        length = 0;
        any = false;
        lastWasCr = false;
        return done;
    }
}
