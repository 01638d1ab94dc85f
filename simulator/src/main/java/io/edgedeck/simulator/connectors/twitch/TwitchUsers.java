package io.edgedeck.simulator.connectors.twitch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names the viewer who sent a message, the same name for the same viewer whether or not the
 * message carried a {@code user-id} tag: {@code twitch:<user-id>} when the id is known, from the
 * tag or from an earlier message of the same login; {@code twitch:login:<login>} for a login never
 * seen with its id. A user id is digits only, so no login, not even an all-digit one, is ever taken
 * for another viewer's id.
 *
 * <p>Remembers the most recently seen logins with their ids, at most the capacity given; past it the
 * login seen longest ago is forgotten, and its untagged messages are named by the login again until
 * it is seen with its id once more. One reader thread's alone: not thread-safe.
 */
final class TwitchUsers {
    /** A Twitch user id: digits, and no longer than a long's. */
    private static final int MAX_ID_DIGITS = 19;

    private final Map<String, String> idsByLogin;

    TwitchUsers(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.idsByLogin = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The user a message names.
     *
     * @param userId   the {@code user-id} tag; null or empty when the message has none
     * @param login    the login from the message's {@code nick!user@host} prefix; null when it has none
     * @param problems gets a line for a {@code user-id} that is not an id (the login is used instead)
     * @return the user's name, or null when the message names no user at all
     */
    String user(String userId, String login, List<String> problems) {
        String who = login == null || login.isEmpty() ? null : login.toLowerCase(Locale.ROOT);
        if (userId != null && !userId.isEmpty()) {
            if (isId(userId)) {
                if (who != null) {
                    idsByLogin.put(who, userId);
                }
                return "twitch:" + userId;
            }
            problems.add("user-id is not a Twitch user id: " + (userId.length() <= 40 ? userId : userId.substring(0, 37) + "..."));
        }
        if (who == null) {
            return null;
        }
        String known = idsByLogin.get(who);
        return known != null ? "twitch:" + known : "twitch:login:" + who;
    }

    /** How many logins are remembered with their ids. */
    int known() {
        return idsByLogin.size();
    }

    private static boolean isId(String s) {
        if (s.length() > MAX_ID_DIGITS) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
