package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Where a pushed body stops being UTF-8, and the JSON field that holds those bytes. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The offsets, in order, of every byte from {@code start} on that is not part of UTF-8 text (each
     * byte of 0x80 or above of a malformed sequence, a surrogate's encoding among them; an ASCII byte
     * is always text of its own); empty when all are.
     */
    static int[] invalidBytes(byte[] body, int start) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body, start, body.length - start);
        CharBuffer out = CharBuffer.allocate(8192);
        int[] found = new int[0];
        int count = 0;
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                int from = in.position();
                for (int i = 0; i < r.length(); i++) {
                    if ((body[from + i] & 0x80) == 0) {
                        continue;
                    }
                    if (count == found.length) {
                        found = java.util.Arrays.copyOf(found, Math.max(8, count * 2));
                    }
                    found[count++] = from + i;
                }
                in.position(from + r.length());
                continue;
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /**
     * The field, as a dotted path ({@code a.b}, {@code a[0]}), whose text holds the byte at {@code bad}
     * of the record that starts at {@code from}; {@code body} when the bytes are outside any field.
     */
    static String fieldAt(JsonFactory factory, byte[] body, int from, int bad) {
        JsonParser parser = null;
        try {
            parser = factory.createParser(body, from, bad - from);
            while (parser.nextToken() != null) {
                // Read up to the bytes at fault: the parser stops there, inside the text that holds them.
            }
        } catch (IOException cutShort) {
            // The text the bytes are in is cut short: where the parser stands names it.
        }
        if (parser == null) {
            return "body";
        }
        String path = path(parser.getParsingContext());
        try {
            parser.close();
        } catch (IOException ignored) {
            // Over bytes in memory: nothing to release.
        }
        return path.isEmpty() ? "body" : path;
    }

    private static String path(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = path(context.getParent());
        if (context.inArray()) {
            return parent + "[" + Math.max(0, context.getCurrentIndex()) + "]";
        }
        String name = context.getCurrentName();
        if (name == null) {
            return parent;
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }
}
