package io.edgedeck.simulator.connectors.twitch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.server.OwnerOnlyFiles;
import io.edgedeck.simulator.server.privacy.UnitKeys;

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
 *
 * <p>The file holds no login or id, only the node's {@link UnitKeys keys}: each line is a login's
 * or an id's own name keyed ({@code twitch:login:<login>}, {@code twitch:<id>}) and the key of the
 * name the viewer was first counted under. In memory, logins and ids are looked up by those keys
 * too. A viewer named in this run is handed on by its name, which the node keys; one remembered
 * from the file is handed on by that name's key, which the node keeps as it is (keying twice is
 * keying once): the same unit the node counted before the restart.
 */
final class TwitchUsers implements AutoCloseable {
    /** A Twitch user id: digits, and no longer than a long's. */
    private static final int MAX_ID_DIGITS = 19;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN = "login";
    private static final String ID = "id";

    private final int capacity;
    /** The node's keys; null without a file, where logins and ids are looked up as they are. */
    private final UnitKeys keys;
    /** Name by login's own name ({@code twitch:login:<lowercase login>}, looked up), the most recently seen last. */
    private final Map<String, String> byLogin;
    /** Name by id's own name ({@code twitch:<id>}, looked up), the most recently seen last. */
    private final Map<String, String> byId;
    /**
     * The login names an id has joined, looked up: another id with that login is another viewer. An
     * id's name is its own or a login's, so an id not named by its own name has joined a login's.
     */
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
        this(capacity, null, null);
    }

    /** Remembering names in {@code file} too, once {@link #load loaded}, under the node's {@code keys}. */
    TwitchUsers(int capacity, Path file, UnitKeys keys) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        if ((file == null) != (keys == null)) {
            throw new IllegalArgumentException("a file of viewers needs the node's unit keys, and only it");
        }
        this.capacity = capacity;
        this.keys = keys;
        this.byLogin = lru(capacity);
        this.byId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                claimed.remove(lookup(eldest.getValue()));
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
                    if (entry.length != 3 || !isKey(entry[1]) || !isKey(entry[2])) {
                        // a line holding anything but keys is left out, and gone from the file once it is rewritten
                        unreadable++;
                    } else if (LOGIN.equals(entry[0])) {
                        byLogin.put(entry[1], entry[2]);
                    } else if (ID.equals(entry[0])) {
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

    private static boolean isKey(String s) {
        return s != null && UnitKeys.isKey(s);
    }

    /**
     * What a name is looked up and remembered by: its key under the node's keys (a key as it is), or
     * the name itself without them. A login's or an id's own name, looked up, is the key the node
     * gives that name.
     */
    private String lookup(String name) {
        return keys == null ? name : keys.key(name);
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
        String own = who == null ? null : "twitch:login:" + who;
        String seen = who == null ? null : lookup(own);
        if (userId != null && !userId.isEmpty()) {
            if (isId(userId)) {
                String id = lookup("twitch:" + userId);
                String name = byId.get(id);
                if (name == null) {
                    // A login counted before its id was known: the id joins that viewer rather than counting
                    // again, unless another id joined it first (the login has changed hands).
                    String counted = seen == null ? null : byLogin.get(seen);
                    name = counted != null && seen.equals(lookup(counted)) && !claimed.contains(seen) ? counted : "twitch:" + userId;
                    nameId(id, name);
                    unsaved(ID, id, name);
                }
                if (seen != null && !name.equals(byLogin.get(seen))) {
                    remember(seen, name);
                }
                return name;
            }
            problems.add("user-id is not a Twitch user id: " + io.edgedeck.simulator.server.http.PeerValues.shown(userId));
        }
        if (who == null) {
            return null;
        }
        String name = byLogin.get(seen);
        if (name == null) {
            name = own;
            remember(seen, name);
        }
        return name;
    }

    /** Names the id looked up as {@code id}; a name not its own is a login's, which the id has now joined. */
    private void nameId(String id, String name) {
        String was = byId.put(id, name);
        if (was != null && !was.equals(name)) {
            claimed.remove(lookup(was));
        }
        String joined = lookup(name);
        if (!joined.equals(id)) {
            claimed.add(joined);
        }
    }

    private void remember(String login, String name) {
        byLogin.put(login, name);
        unsaved(LOGIN, login, name);
    }

    /**
     * Keeps a line for the next {@link #save}. Past four times what is remembered (a disk that has
     * refused the file for long) the lines are let go and the next save writes the file whole from
     * what is remembered, which holds them all.
     */
    private void unsaved(String kind, String looked, String name) {
        if (!loaded) {
            return;
        }
        byte[] line = line(kind, looked, name);
        if (line == null) {
            return;
        }
        if (unsaved.size() >= 4L * capacity) {
            unsaved.clear();
            closeFile();
        }
        unsaved.add(line);
    }

    /**
     * The file's line for a login or id looked up as {@code looked}, named {@code name}: keys only.
     * Null for one the node does not key (longer than any id it takes, so never counted): kept in memory only.
     */
    private byte[] line(String kind, String looked, String name) {
        String key = lookup(name);
        if (!isKey(looked) || !isKey(key)) {
            return null;
        }
        try {
            byte[] json = JSON.writeValueAsBytes(new String[] {kind, looked, key});
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
        for (String kind : List.of(LOGIN, ID)) {
            for (Map.Entry<String, String> e : (LOGIN.equals(kind) ? byLogin : byId).entrySet()) {
                byte[] line = line(kind, e.getKey(), e.getValue());
                if (line != null) {
                    whole.writeBytes(line);
                    count++;
                }
            }
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
