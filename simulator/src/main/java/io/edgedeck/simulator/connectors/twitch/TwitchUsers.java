package io.edgedeck.simulator.connectors.twitch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.server.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names the viewer who sent a message, one name for one viewer whether or not its messages carry a
 * {@code user-id} tag: {@code twitch:<user-id>} for a viewer first seen with its id,
 * {@code twitch:login:<login>} for one first seen by its login alone. A viewer keeps the name it was
 * first counted under: when a login first counted as {@code twitch:login:<login>} comes with its id,
 * that id is named {@code twitch:login:<login>} too, so the viewer counts once, and its later
 * messages, tagged or not (under a new login too), keep that name. A user id is digits only, so no
 * login, not even an all-digit one, is ever taken for another viewer's id.
 *
 * <p>Remembers the most recently seen logins and ids with the names they were given, at most the
 * capacity given of each; past it the one seen longest ago is forgotten. With a file, what it
 * remembers lasts across restarts: each new name is appended to the file, and {@link #save} syncs
 * what was appended before the messages named with it are handed on; the file is rewritten whole
 * (beside it, synced, renamed over it) when it opens and when it has grown to several times what is
 * remembered. Thread-safe: the reader thread names, the delivering thread saves.
 */
final class TwitchUsers implements AutoCloseable {
    /** A Twitch user id: digits, and no longer than a long's. */
    private static final int MAX_ID_DIGITS = 19;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN = "login";
    private static final String ID = "id";

    private final int capacity;
    /** Name by login (lowercase), the most recently seen last. */
    private final Map<String, String> byLogin;
    /** Name by user id, the most recently seen last. */
    private final Map<String, String> byId;
    /** The login names ({@code twitch:login:<login>}) an id has joined: another id with that login is another viewer. */
    private final java.util.Set<String> claimed = new java.util.HashSet<>();
    /** Where the names last across restarts; null when they last as long as the process. */
    private final Path file;
    /** The file, open for appending; null before {@link #load} or after a failed rewrite. */
    private FileChannel out;
    /** Lines appended to the file since it was last written whole. */
    private long lines;
    /** True once the file is loaded: before that (or when it could not be), nothing is written to it. */
    private boolean loaded;
    /** Names given since the last {@link #save}, each as its file line. */
    private final List<byte[]> unsaved = new ArrayList<>();

    /** Remembering names as long as the process runs. */
    TwitchUsers(int capacity) {
        this(capacity, null);
    }

    /** Remembering names in {@code file} too, once {@link #load loaded}. */
    TwitchUsers(int capacity, Path file) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.byLogin = lru(capacity);
        this.byId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                claimed.remove(eldest.getValue());
                return true;
            }
        };
        this.file = file;
    }

    private static Map<String, String> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Reads what the file remembers and writes it whole again, owner-only: a line a crash tore, or
     * one that cannot be read, is left out. Nothing to do without a file, or with none there yet.
     *
     * @return the lines left out
     */
    synchronized int load() throws IOException {
        if (file == null) {
            return 0;
        }
        int unreadable = 0;
        if (Files.exists(file)) {
            for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    String[] entry = JSON.readValue(line, String[].class);
                    if (entry.length != 3 || entry[1] == null || !validName(entry[2])) {
                        unreadable++;
                    } else if (LOGIN.equals(entry[0])) {
                        byLogin.put(entry[1], entry[2]);
                    } else if (ID.equals(entry[0]) && isId(entry[1])) {
                        nameId(entry[1], entry[2]);
                    } else {
                        unreadable++;
                    }
                } catch (IOException e) {
                    unreadable++;
                }
            }
        }
        rewrite();
        loaded = true;
        return unreadable;
    }

    private static boolean validName(String name) {
        return name != null && (name.startsWith("twitch:login:") || name.startsWith("twitch:") && isId(name.substring(7)));
    }

    /**
     * The user a message names.
     *
     * @param userId   the {@code user-id} tag; null or empty when the message has none
     * @param login    the login from the message's {@code nick!user@host} prefix; null when it has none
     * @param problems gets a line for a {@code user-id} that is not an id (the login is used instead)
     * @return the user's name, or null when the message names no user at all
     */
    synchronized String user(String userId, String login, List<String> problems) {
        String who = login == null || login.isEmpty() ? null : login.toLowerCase(Locale.ROOT);
        if (userId != null && !userId.isEmpty()) {
            if (isId(userId)) {
                String name = byId.get(userId);
                if (name == null) {
                    // A login counted before its id was known: the id joins that viewer rather than counting
                    // again, unless another id joined it first (the login has changed hands).
                    String counted = who == null ? null : byLogin.get(who);
                    name = ("twitch:login:" + who).equals(counted) && !claimed.contains(counted) ? counted : "twitch:" + userId;
                    nameId(userId, name);
                    unsaved(line(ID, userId, name));
                }
                if (who != null && !name.equals(byLogin.get(who))) {
                    remember(byLogin, LOGIN, who, name);
                }
                return name;
            }
            problems.add("user-id is not a Twitch user id: " + (userId.length() <= 40 ? userId : userId.substring(0, 37) + "..."));
        }
        if (who == null) {
            return null;
        }
        String name = byLogin.get(who);
        if (name == null) {
            name = "twitch:login:" + who;
            remember(byLogin, LOGIN, who, name);
        }
        return name;
    }

    private void nameId(String id, String name) {
        String was = byId.put(id, name);
        if (was != null && !was.equals(name)) {
            claimed.remove(was);
        }
        if (name.startsWith("twitch:login:")) {
            claimed.add(name);
        }
    }

    private void remember(Map<String, String> names, String kind, String key, String name) {
        names.put(key, name);
        unsaved(line(kind, key, name));
    }

    /**
     * Keeps a line for the next {@link #save}. Past four times what is remembered (a disk that has
     * refused the file for long) the lines are let go and the next save writes the file whole from
     * what is remembered, which holds them all.
     */
    private void unsaved(byte[] line) {
        if (!loaded) {
            return;
        }
        if (unsaved.size() >= 4L * capacity) {
            unsaved.clear();
            closeFile();
        }
        unsaved.add(line);
    }

    private static byte[] line(String kind, String key, String name) {
        try {
            byte[] json = JSON.writeValueAsBytes(new String[] {kind, key, name});
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Makes every name given so far durable: appended to the file and synced, or the file written
     * whole when it has grown to four times what is remembered. Before the messages named with them
     * are handed on, so a restart names their viewers as they were named.
     *
     * @throws IOException when the file could not be written; what was not saved is tried again next time
     */
    synchronized void save() throws IOException {
        if (!loaded || unsaved.isEmpty() && out != null) {
            return;
        }
        if (out == null || lines + unsaved.size() > 4L * capacity) {
            rewrite();
            return;
        }
        int bytes = 0;
        for (byte[] line : unsaved) {
            bytes += line.length;
        }
        ByteBuffer all = ByteBuffer.allocate(bytes);
        unsaved.forEach(all::put);
        all.flip();
        long at = out.size();
        try {
            while (all.hasRemaining()) {
                out.write(all);
            }
            out.force(false);
        } catch (IOException e) {
            // a part written is cut off, or the file written whole next time
            try {
                out.truncate(at);
            } catch (IOException cut) {
                closeFile();
            }
            throw e;
        }
        lines += unsaved.size();
        unsaved.clear();
    }

    /** Writes the file whole from what is remembered ({@link OwnerOnlyFiles#replace}) and opens it for appending. */
    private void rewrite() throws IOException {
        closeFile();
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        int count = 0;
        for (Map.Entry<String, String> e : byLogin.entrySet()) {
            whole.writeBytes(line(LOGIN, e.getKey(), e.getValue()));
            count++;
        }
        for (Map.Entry<String, String> e : byId.entrySet()) {
            whole.writeBytes(line(ID, e.getKey(), e.getValue()));
            count++;
        }
        OwnerOnlyFiles.replace(file, whole.toByteArray());
        unsaved.clear();
        lines = count;
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to write through it
            }
            out = null;
        }
    }

    /** How many logins are remembered with their names. */
    synchronized int known() {
        return byLogin.size();
    }

    @Override
    public synchronized void close() {
        closeFile();
    }

    private static boolean isId(String s) {
        if (s.isEmpty() || s.length() > MAX_ID_DIGITS) {
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
