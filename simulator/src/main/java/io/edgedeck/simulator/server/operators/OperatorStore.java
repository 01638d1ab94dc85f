package io.edgedeck.simulator.server.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.server.OwnerOnlyFiles;
import io.edgedeck.simulator.server.Secrets;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The people who may call a node, each with a token of their own: {@code DATA_DIR/operators.json},
 * owner-only, replaced whole and synced on every change ({@link OwnerOnlyFiles#replace}), so a
 * running node that re-reads it sees the old list or the new one, never a part. Changes take
 * {@code DATA_DIR/operators.lock} first, so two commands run at once cannot lose each other's change.
 *
 * <p>A token is made here, written once to a file its person keeps, and never stored: the node keeps
 * its SHA-256 only ({@link Secrets}). Nothing here prints or logs a token.
 */
public final class OperatorStore {
    public static final String FILE = "operators.json";
    static final String LOCK = "operators.lock";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** The file's shape. */
    record Document(int format, List<Operator> operators) {
    }

    /** A person added, and where their token is. */
    public record Added(Operator operator, Path tokenFile) {
    }

    private final Path dir;
    private final Clock clock;
    private final String account;

    /** @param dataDir the node's data directory; it must exist */
    public OperatorStore(Path dataDir, Clock clock) {
        this(dataDir, clock, account());
    }

    /** @param account the account on this machine running the command, recorded with each add and revoke it makes */
    public OperatorStore(Path dataDir, Clock clock, String account) {
        this.dir = dataDir.toAbsolutePath();
        this.clock = clock;
        this.account = account;
    }

    /**
     * Who runs this command on this machine: the person {@code sudo} ran it for ({@code SUDO_USER}), else the OS
     * user; null when neither is known. Printable characters only, at most 64.
     */
    static String account() {
        String sudo = System.getenv("SUDO_USER");
        String user = sudo != null && !sudo.isBlank() ? sudo : System.getProperty("user.name");
        if (user == null) {
            return null;
        }
        String shown = user.strip().replaceAll("\\p{Cntrl}", "");
        return shown.isEmpty() ? null : shown.length() > 64 ? shown.substring(0, 64) : shown;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** Everyone, in the order they were added, revoked ones included. */
    public List<Operator> list() throws IOException, OperatorException {
        requireDirectory();
        return read(file());
    }

    private void requireDirectory() throws OperatorException {
        if (!Files.isDirectory(dir)) {
            throw new OperatorException("no node data directory at " + dir + ": start the node once (serve), or check --data-dir/--node");
        }
    }

    /**
     * An operators file that is there but cannot be read as one: the message names the file by its path, for the
     * node's own log and the command line; {@link #forPeers()} says the same without the path, for answers to callers
     * who need no valid token ({@code /healthz}, a 401).
     */
    public static final class Unreadable extends IOException {
        private final String forPeers;

        Unreadable(Path file, String what, String whatForPeers, Throwable cause) {
            super("the operators file " + file + " " + what, cause);
            this.forPeers = "its " + FILE + " " + whatForPeers;
        }

        /**
         * What is wrong, the file named as {@code its operators.json}, with the line and column where it stops making sense;
         * of an entry it cannot use, only that it has one (its place and field are in {@link #getMessage()}).
         */
        public String forPeers() {
            return forPeers;
        }
    }

    /**
     * The operators in {@code file}; none when it does not exist.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static List<Operator> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return List.of();
        }
        Document doc;
        try {
            doc = JSON.readValue(bytes, Document.class);
        } catch (JsonProcessingException e) {
            // The parser's first line, without where it says a bracket began (it names its input as REDACTED), and the
            // line and column where the file stops making sense: these words reach the log, /healthz and a console.
            String said = e.getOriginalMessage().lines().findFirst().orElse("").replaceAll("\\s*\\(start marker at \\[Source:.*$", "");
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "";
            throw new Unreadable(file, "cannot be read: " + said + where, "cannot be read: " + said + where, e);
        }
        if (doc == null || doc.format() != FORMAT || doc.operators() == null) {
            String what = "is not format " + FORMAT + " with a list of operators";
            throw new Unreadable(file, what, what, null);
        }
        for (int i = 0; i < doc.operators().size(); i++) {
            String fault = fault(doc.operators().get(i));
            if (fault != null) {
                // Named by its place and field, never by what it holds: a log or a terminal is no place for a person's
                // name written wrong nor for a token's hash. A caller without the admin token is told only that there is
                // one: which entry and which field help the node's owner alone, who has the log and 'operators'.
                String what = "has an entry it cannot use: entry " + (i + 1) + " of " + doc.operators().size() + " (operators["
                        + i + "]) " + fault;
                throw new Unreadable(file, what, "has an entry it cannot use", null);
            }
        }
        return List.copyOf(doc.operators());
    }

    /** What is wrong with an entry of the file, naming the field and never its value; null when nothing is. */
    static String fault(Operator o) {
        if (o == null) {
            return "is null, not an operator";
        }
        if (Operator.shapeProblem(o.name()) != null) {
            return o.name() == null ? "has no 'name'"
                    : "has a 'name' that is not one: it takes letters, digits, '.', '_' and '-' (up to 64, a letter or digit first)";
        }
        if (o.role() == null) {
            return "has no 'role' (viewer, operator or approver)";
        }
        if (o.role() == Role.ADMIN) {
            return "has the 'role' admin, which no person gets (viewer, operator or approver)";
        }
        if (o.tokenSha256() == null) {
            return "has no 'tokenSha256'";
        }
        if (!o.tokenSha256().matches("[0-9a-f]{64}")) {
            return "has a 'tokenSha256' that is not 64 lowercase hexadecimal digits (it has " + o.tokenSha256().length()
                    + " characters)";
        }
        if (o.createdAt() == null) {
            return "has no 'createdAt'";
        }
        return null;
    }

    /**
     * Makes {@code name} a token with {@code role}, writes it to {@code tokenFile} (owner-only; it must
     * not exist), and stores its hash. The token is in that file and nowhere else: what an earlier add
     * to the same file left beside it when it was killed mid-write is deleted first.
     *
     * @throws OperatorException the name is not allowed or has a working token already, the role is
     *                           admin, or the token file exists
     */
    public Added add(String name, Role role, Path tokenFile) throws IOException, OperatorException {
        String problem = Operator.nameProblem(name);
        if (problem != null) {
            throw new OperatorException(problem);
        }
        if (role == Role.ADMIN) {
            throw new OperatorException("no person gets the admin role: that is the node owner's token (DATA_DIR/token);"
                    + " give viewer, operator or approver");
        }
        return locked(() -> {
            List<Operator> all = new ArrayList<>(list());
            Operator holder = active(all, name);
            if (holder != null) {
                throw new OperatorException(holder.name() + " already has a working token (made " + holder.createdAt()
                        + ", role " + holder.role().id() + "); revoke it first to give them a new one");
            }
            String token = Secrets.newToken();
            Path folder = tokenFile.toAbsolutePath().getParent();
            if (!Files.isDirectory(folder)) {
                // As for every file a command writes, a folder on its way that is not there yet is made: owner-only, as the token is.
                OwnerOnlyFiles.createDirectory(folder);
            }
            // A token an earlier add was writing when it was killed would otherwise stay beside the file for good.
            OwnerOnlyFiles.deleteInterrupted(tokenFile);
            try {
                OwnerOnlyFiles.createNew(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (FileAlreadyExistsException e) {
                throw new OperatorException("the token file " + tokenFile + " exists; nothing was overwritten: give another --token-out");
            }
            Operator added = new Operator(name, role, Secrets.sha256(token), clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), null,
                    account, null);
            all.add(added);
            try {
                write(all);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tokenFile);
                throw e;
            }
            return new Added(added, tokenFile.toAbsolutePath());
        });
    }

    /**
     * Revokes {@code name}'s working token: a running node refuses it (401) from the next call on.
     *
     * @throws OperatorException when {@code name} has no working token
     */
    public Operator revoke(String name) throws IOException, OperatorException {
        return locked(() -> {
            List<Operator> all = new ArrayList<>(list());
            Operator holder = active(all, name);
            if (holder == null) {
                throw new OperatorException("no operator called '" + name + "' has a working token on this node"
                        + (all.isEmpty() ? " (it has no operators)" : "; see 'operators list'"));
            }
            Operator revoked = new Operator(holder.name(), holder.role(), holder.tokenSha256(), holder.createdAt(),
                    clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), holder.createdBy(), account);
            all.set(all.indexOf(holder), revoked);
            write(all);
            return revoked;
        });
    }

    /** Names are one person's however they are written: {@code Alice} and {@code alice} are the same. */
    private static Operator active(List<Operator> all, String name) {
        return all.stream().filter(o -> o.active() && o.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    private void write(List<Operator> all) throws IOException {
        OwnerOnlyFiles.replace(file(), JSON.writeValueAsBytes(new Document(FORMAT, all)));
    }

    private interface Change<T> {
        T apply() throws IOException, OperatorException;
    }

    /** Runs a read-modify-write with the store's lock held, against other processes and other threads alike. */
    private <T> T locked(Change<T> change) throws IOException, OperatorException {
        requireDirectory();
        synchronized (OperatorStore.class) {
            try (FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return change.apply();
            }
        }
    }
}
