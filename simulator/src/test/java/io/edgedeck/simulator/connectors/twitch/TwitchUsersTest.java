package io.edgedeck.simulator.connectors.twitch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How a chat message's sender is named, and how many logins are remembered with their ids. */
class TwitchUsersTest {
    private final List<String> problems = new ArrayList<>();

    @Test
    void theLoginsRememberedAreBoundedTheLongestUnseenForgottenFirst() {
        TwitchUsers users = new TwitchUsers(2);
        assertEquals("twitch:1", users.user("1", "a", problems));
        assertEquals("twitch:2", users.user("2", "b", problems));
        assertEquals("twitch:1", users.user(null, "a", problems), "a seen again is kept, b is now the oldest");
        assertEquals("twitch:3", users.user("3", "c", problems));
        assertEquals(2, users.known());
        assertEquals("twitch:login:b", users.user(null, "b", problems), "forgotten: named by its login again");
        assertEquals("twitch:1", users.user("", "A", problems));
        assertEquals("twitch:3", users.user(null, "c", problems));
        assertEquals(List.of(), problems);
    }

    @Test
    void aMessageWithNeitherIdNorLoginHasNoUser() {
        TwitchUsers users = new TwitchUsers(4);
        assertNull(users.user(null, null, problems));
        assertNull(users.user("", "", problems));
        assertNull(users.user("x1", null, problems));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("twitch:login:a", users.user("12345678901234567890", "a", problems), "longer than any id");
        assertEquals(0, users.known());
    }
}
