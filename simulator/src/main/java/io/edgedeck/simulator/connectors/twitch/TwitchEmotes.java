package io.edgedeck.simulator.connectors.twitch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twitch's {@code emotes} tag ({@code 25:0-4,12-16/1902:6-10}: emote id, then inclusive ranges of
 * character positions) turned into the emote names as written in the message, in the order they
 * occur. Positions count Unicode code points of the message text (an emoji before an emote counts
 * once), which is how Twitch counts them.
 */
final class TwitchEmotes {
    private TwitchEmotes() {
    }

    /**
     * The emote names, one per occurrence.
     *
     * @param problems receives one message per range that is malformed or outside the text; the
     *                 message is kept without that emote
     */
    static List<String> names(String tag, String text, List<String> problems) {
        if (tag == null || tag.isEmpty()) {
            return List.of();
        }
        int[] codePoints = text.codePoints().toArray();
        Map<Integer, String> byPosition = new TreeMap<>();
        for (String emote : tag.split("/")) {
            int colon = emote.indexOf(':');
            if (colon <= 0) {
                problems.add("emote \"" + emote + "\" has no id:ranges form");
                continue;
            }
            for (String range : emote.substring(colon + 1).split(",")) {
                int dash = range.indexOf('-');
                int from;
                int to;
                try {
                    from = Integer.parseInt(range.substring(0, Math.max(0, dash)));
                    to = Integer.parseInt(range.substring(dash + 1));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    problems.add("emote " + emote.substring(0, colon) + " has a range that is not first-last: \"" + range + "\"");
                    continue;
                }
                if (from < 0 || to < from || to >= codePoints.length) {
                    problems.add("emote " + emote.substring(0, colon) + " range " + range + " is outside the message of "
                            + codePoints.length + " characters");
                    continue;
                }
                byPosition.put(from, new String(codePoints, from, to - from + 1));
            }
        }
        return new ArrayList<>(byPosition.values());
    }
}
