package io.edgedeck.console.dashboard;

import java.util.Locale;
import java.util.Map;

/**
 * Chat emotes as words. Colour emoji have no glyph in the fonts a console can count on (and JavaFX
 * draws a missing glyph as an empty box), so an emoji is shown by its short name, {@code :fire:};
 * text emotes such as {@code KEKW} stay as they are.
 */
public final class Emotes {
    /** The names chat platforms use for the emoji audiences reach for most; others take their Unicode name. */
    private static final Map<Integer, String> SHORT_NAMES = Map.ofEntries(
            Map.entry(0x1F525, "fire"), Map.entry(0x1F4AF, "100"), Map.entry(0x2764, "heart"),
            Map.entry(0x1F44D, "thumbsup"), Map.entry(0x1F44E, "thumbsdown"), Map.entry(0x1F480, "skull"),
            Map.entry(0x1F62D, "sob"), Map.entry(0x1F440, "eyes"), Map.entry(0x1F914, "thinking"),
            Map.entry(0x1F621, "rage"), Map.entry(0x1F92E, "vomit"), Map.entry(0x1F602, "joy"),
            Map.entry(0x1F923, "rofl"), Map.entry(0x1F44F, "clap"), Map.entry(0x1F64F, "pray"),
            Map.entry(0x1F60D, "heart_eyes"), Map.entry(0x1F389, "tada"), Map.entry(0x1F680, "rocket"));

    private Emotes() {
    }

    /** "🔥" becomes ":fire:", "❤️" ":heart:", "KEKW" stays "KEKW". */
    public static String asText(String emote) {
        StringBuilder out = new StringBuilder();
        emote.codePoints().forEach(cp -> {
            if (cp == 0xFE0F || cp == 0x200D || Character.getType(cp) == Character.NON_SPACING_MARK) {
                return; // presentation selectors and joiners carry no meaning of their own in a word
            }
            if (Character.isEmoji(cp) && (Character.isEmojiPresentation(cp) || Character.isExtendedPictographic(cp))) {
                out.append(':').append(name(cp)).append(':');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String name(int cp) {
        String known = SHORT_NAMES.get(cp);
        if (known != null) {
            return known;
        }
        String unicode = Character.getName(cp);
        return unicode == null ? String.format(Locale.ROOT, "U+%04X", cp)
                : unicode.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }
}
