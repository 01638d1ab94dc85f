package io.edgedeck.simulator.connectors.twitch;

import io.edgedeck.simulator.server.privacy.UnitKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a chat message's sender is named, and how many logins are remembered with their ids. */
public class TwitchUsersTest {
    private final List<String> problems = new ArrayList<>();
    private final UnitKeys keys = UnitKeys.of("a unit key of the tests' own".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @Test
    void theLoginsRememberedAreBoundedTheLongestUnseenForgottenFirst() {
        TwitchUsers users = new TwitchUsers(2);
        assertEquals("twitch:1", users.user("1", "a", problems));
        assertEquals("twitch:2", users.user("2", "b", problems));
        assertEquals("twitch:1", users.user(null, "a", problems), "a seen again is kept, b is now the oldest");
        assertEquals("twitch:3", users.user("3", "c", problems));
        assertEquals(2, users.known());
        assertEquals("twitch:login:b", users.user(null, "b", problems), "forgotten: named by its login again");
        assertEquals("twitch:3", users.user("", "C", problems));
        assertEquals(List.of(), problems);
    }

    /** A login counted before its id was known keeps its name when the id comes: one viewer, under a new login too. */
    @Test
    void aLoginCountedBeforeItsIdKeepsItsNameWhenTheIdComes() {
        TwitchUsers users = new TwitchUsers(8);
        assertEquals("twitch:login:a", users.user(null, "a", problems));
        assertEquals("twitch:login:a", users.user("5", "a", problems));
        assertEquals("twitch:login:a", users.user(null, "A", problems));
        assertEquals("twitch:login:a", users.user("5", "renamed", problems), "the id names the viewer under a new login");
        assertEquals("twitch:login:a", users.user(null, "renamed", problems));
        assertEquals("twitch:6", users.user("6", "b", problems));
        assertEquals("twitch:7", users.user("7", "a", problems), "another id for the login: another viewer");
        assertEquals(List.of(), problems);
    }

    /**
     * Saved names are loaded by the next instance on the same file, as the keys of the names first
     * counted; a torn last line is left out and the file rewritten whole.
     */
    @Test
    void savedNamesLastAcrossInstancesAndATornLineIsLeftOut(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("viewers.jsonl");
        try (TwitchUsers users = new TwitchUsers(8, file, keys)) {
            assertEquals(0, users.load());
            users.user(null, "a", problems);
            users.user("9", "b", problems);
            users.save();
            users.user("5", "a", problems);
            users.save();
        }
        Files.writeString(file, "[\"login\",\"c\",\"twi", java.nio.file.StandardOpenOption.APPEND);
        try (TwitchUsers users = new TwitchUsers(8, file, keys)) {
            assertEquals(1, users.load());
            assertEquals(keys.key("twitch:9"), users.user(null, "b", problems));
            assertEquals(keys.key("twitch:login:a"), users.user("5", null, problems));
            assertEquals("twitch:login:c", users.user(null, "c", problems));
        }
        assertTrue(Files.readString(file).endsWith("\n"), "rewritten whole");
    }

    /**
     * The file holds keys only, never a login or an id, and a viewer is the same unit across a
     * restart: what the node makes of the name given before (it keys it) equals what it makes of
     * the one given after (a key, kept as it is). The login counted before its id still takes its id
     * after the restart, and a second id with that login is still another viewer.
     */
    @Test
    void theFileHoldsKeysOnlyAndAViewerIsOneUnitAcrossARestart(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("viewers.jsonl");
        List<String> before = new ArrayList<>();
        try (TwitchUsers users = new TwitchUsers(8, file, keys)) {
            users.load();
            before.add(users.user("1337", "viewer42", problems));
            before.add(users.user(null, "lurker7", problems));
            users.save();
        }
        assertKeysOnly(Files.readString(file), "viewer42", "lurker7");
        try (TwitchUsers users = new TwitchUsers(8, file, keys)) {
            assertEquals(0, users.load());
            List<String> after = List.of(users.user(null, "viewer42", problems), users.user("88", "lurker7", problems));
            assertEquals(before.stream().map(keys::key).toList(), after.stream().map(keys::key).toList(),
                    "the node counts the same units");
            assertEquals("twitch:89", users.user("89", "lurker7", problems), "another id for the login: another viewer");
            users.save();
        }
        assertKeysOnly(Files.readString(file), "viewer42", "lurker7");
        assertEquals(List.of(), problems);
    }

    /** Every line of a viewers file is a kind and two keys: no login, no id, and none of {@code logins} anywhere. */
    public static void assertKeysOnly(String file, String... logins) {
        for (String login : logins) {
            assertFalse(file.contains(login), login + " in " + file);
        }
        for (String line : file.split("\n")) {
            assertTrue(line.matches("\\[\"(login|id)\",\"k\\.[A-Za-z0-9_-]{22}\",\"k\\.[A-Za-z0-9_-]{22}\"]"),
                    "a kind and two keys: " + line);
        }
    }

    @Test
    void aMessageWithNeitherIdNorLoginHasNoUser() {
        TwitchUsers users = new TwitchUsers(4);
        assertNull(users.user(null, null, problems));
        assertNull(users.user("", "", problems));
        assertNull(users.user("x1", null, problems));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("twitch:login:a", users.user("12345678901234567890", "a", problems), "longer than any id");
        assertEquals(1, users.known(), "the login, remembered as counted by its login");
    }
}
