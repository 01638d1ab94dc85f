package io.edgedeck.simulator.connectors.twitch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One IRC line as Twitch sends it: IRCv3 message tags, an optional prefix, the command and its
 * parameters (the last may be a trailing parameter with spaces). Tag values are unescaped as the
 * IRCv3 message-tags specification says ({@code \:} is ';', {@code \s} a space, {@code \\} a
 * backslash, {@code \r} and {@code \n}).
 *
 * @param tags    the tags, in order; empty when the line had none
 * @param prefix  {@code nick!user@host} or a server name; null when absent
 * @param command e.g. {@code PRIVMSG}, {@code PING}, {@code 001}
 * @param params  the parameters, the trailing one last
 */
record IrcMessage(Map<String, String> tags, String prefix, String command, List<String> params) {

    /** Parses one line without its CRLF; throws {@link IllegalArgumentException} saying what is wrong. */
    static IrcMessage parse(String line) {
        int i = 0;
        Map<String, String> tags = Map.of();
        if (line.startsWith("@")) {
            int end = line.indexOf(' ');
            if (end < 0) {
                throw new IllegalArgumentException("tags with no command after them");
            }
            tags = parseTags(line.substring(1, end));
            i = end;
        }
        i = skipSpaces(line, i);
        String prefix = null;
        if (i < line.length() && line.charAt(i) == ':') {
            int end = line.indexOf(' ', i);
            if (end < 0) {
                throw new IllegalArgumentException("a prefix with no command after it");
            }
            prefix = line.substring(i + 1, end);
            i = skipSpaces(line, end);
        }
        int end = line.indexOf(' ', i);
        String command = end < 0 ? line.substring(i) : line.substring(i, end);
        if (command.isEmpty() || !command.chars().allMatch(c -> Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("no command, or a command that is not letters or digits: \"" + command + "\"");
        }
        List<String> params = new ArrayList<>();
        i = end < 0 ? line.length() : end;
        while (i < line.length()) {
            i = skipSpaces(line, i);
            if (i >= line.length()) {
                break;
            }
            if (line.charAt(i) == ':') {
                params.add(line.substring(i + 1));
                break;
            }
            int next = line.indexOf(' ', i);
            params.add(next < 0 ? line.substring(i) : line.substring(i, next));
            i = next < 0 ? line.length() : next;
        }
        return new IrcMessage(tags, prefix, command.toUpperCase(java.util.Locale.ROOT), Collections.unmodifiableList(params));
    }

    /** The nick of the prefix ({@code nick!user@host}), or the whole prefix. */
    String nick() {
        if (prefix == null) {
            return null;
        }
        int bang = prefix.indexOf('!');
        return bang < 0 ? prefix : prefix.substring(0, bang);
    }

    String param(int index) {
        return index < params.size() ? params.get(index) : null;
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static Map<String, String> parseTags(String raw) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : raw.split(";")) {
            if (tag.isEmpty()) {
                continue;
            }
            int eq = tag.indexOf('=');
            String key = eq < 0 ? tag : tag.substring(0, eq);
            // IRCv3 message-tags: a receiver SHOULD disregard all but the final occurrence of a key given more than once.
            tags.put(key, eq < 0 ? "" : unescape(tag.substring(eq + 1)));
        }
        return Collections.unmodifiableMap(tags);
    }

    private static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= value.length()) {
                break;
            }
            char e = value.charAt(i);
            out.append(switch (e) {
                case ':' -> ';';
                case 's' -> ' ';
                case 'r' -> '\r';
                case 'n' -> '\n';
                default -> e;
            });
        }
        return out.toString();
    }
}
