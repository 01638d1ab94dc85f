package io.edgedeck.console.flags;

import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.AuditFilter;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyObjectProperty;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.ShowChange;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flags tab's state: one row per flag from the newest frame, the audit trail, and the commands
 * that change flags. Every command carries the operator's name and a reason.
 */
public final class FlagsViewModel implements FrameTicker.Sink {

    /**
     * One flag as the table shows it.
     *
     * @param overrides what its weights do not say: variants rolled back at some PoPs or paused; null when none
     */
    public record FlagRow(String key, String description, boolean switchable, boolean on, String variants,
                          String scope, long version, String propagation, boolean killed, FlagView flag, String held,
                          String overrides) {
        static FlagRow of(FlagView f, ChangeRequest held) {
            return saying(f, held == null ? null : heldText(held));
        }

        /** @param held what waits for approval, as the row says it; null when nothing does */
        static FlagRow saying(FlagView f, String held) {
            return new FlagRow(f.key(), f.description(), FlagRules.switchable(f), FlagRules.isOn(f),
                    FlagRules.describe(f.variants()), f.scope(), f.version(), FlagRules.propagation(f), f.killed(), f,
                    held, FlagRules.overrides(f));
        }
    }

    /** What a flag's row says while a change of it waits in the approval lanes. */
    public static String heldText(ChangeRequest r) {
        if (r.state().open() && r.stale() != null) {
            return "stale: request #" + r.id() + " can no longer apply (reject or withdraw it)";
        }
        return switch (r.state()) {
            case PENDING -> "held: request #" + r.id() + ", waiting for an approver";
            case APPROVED -> "approved: request #" + r.id() + " by " + r.decidedBy() + ", waiting to be applied";
            case REJECTED, APPLIED -> null;
        };
    }

    private final ConsoleSession session;
    private final ObservableStringValue operator;
    private final Background background;
    private final ObservableList<FlagRow> rows = FXCollections.observableArrayList();
    private final ObservableList<AuditEntry> audit = FXCollections.observableArrayList();
    private final ObservableList<FlagRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<AuditEntry> readOnlyAudit = FXCollections.unmodifiableObservableList(audit);
    private final StringProperty selectedKey = new SimpleStringProperty(this, "selectedKey");
    private final Outcome message = new Outcome();
    private final javafx.beans.property.ReadOnlyObjectWrapper<Draft> draft = new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "draft");
    private final Map<String, List<VariantView>> beforeSwitchedOff = new HashMap<>();
    private final ShowChange showChange = new ShowChange();
    private String auditSignature = "";
    private long auditRequests;
    private final ObservableList<ChangeRequest> requests;
    private final ListChangeListener<ChangeRequest> onRequests = c -> heldChanged();
    /** Held changes this console opened, until the requests the node lists include them. */
    private final Map<String, ChangeRequest> justHeld = new HashMap<>();
    private List<FlagView> lastFlags = List.of();
    /** The show's PoP ids, from its newest frame: those the audit's lines name are written in capitals. */
    private List<String> popIds = List.of();
    /**
     * The node's answers to this console's own changes, each shown until a frame brings that version or a
     * newer one: without them a row stayed at the old version until the next frame, and a second change made
     * from it in that time was refused as based on a stale version.
     */
    private final Map<String, FlagView> answered = new HashMap<>();
    private final StringProperty personFilter = new SimpleStringProperty(this, "personFilter", "");
    private final StringProperty flagFilter = new SimpleStringProperty(this, "flagFilter", "");
    private final StringProperty kindFilter = new SimpleStringProperty(this, "kindFilter", "");
    private final ObservableList<String> people = FXCollections.observableArrayList();
    private final ObservableList<String> kinds = FXCollections.observableArrayList("", "flag", "guardrail", "show", "request");
    private final ObservableList<String> targets = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper auditSummary = new ReadOnlyStringWrapper(this, "auditSummary", "");
    private final ObservableList<FlagVersion> history = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper historyKey = new ReadOnlyStringWrapper(this, "historyKey");
    private final ReadOnlyStringWrapper historyMessage = new ReadOnlyStringWrapper(this, "historyMessage", "");

    public FlagsViewModel(ConsoleSession session, ObservableStringValue operator, Background background) {
        this(session, operator, background, FXCollections.emptyObservableList());
    }

    /**
     * @param requests the change requests the node lists (the approvals panel's), so a held change of a flag shows
     *                 on its row until it is applied or rejected; empty where the edge has no approval lanes
     */
    public FlagsViewModel(ConsoleSession session, ObservableStringValue operator, Background background,
                          ObservableList<ChangeRequest> requests) {
        this.session = session;
        this.operator = operator;
        this.background = background;
        this.requests = requests;
        requests.addListener(onRequests);
    }

    /** Stops following the open requests. FX thread. */
    public void dispose() {
        requests.removeListener(onRequests);
    }

    /** The show's PoP ids as its newest frame lists them, as the node sends them. FX thread. */
    public List<String> popIds() {
        return popIds;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (!fresh && !rows.isEmpty()) {
            return;
        }
        if (showChange.isNewShow(frame)) {
            rows.clear();
            audit.clear();
            beforeSwitchedOff.clear();
            justHeld.clear();
            answered.clear();
            draft.set(null);
            auditSignature = "";
        }
        lastFlags = frame.flags();
        popIds = frame.pops().stream().map(io.edgedeck.client.model.PopMetrics::id).toList();
        showFlags();
        // The audit only changes with a flag version, a kill, a pause, a rollback at PoPs, an arming or a firing: fetch it then,
        // not every tick.
        String signature = signature(frame);
        if (!signature.equals(auditSignature)) {
            auditSignature = signature;
            refreshAudit();
        }
    }

    private void showFlags() {
        Map<String, String> held = held();
        List<FlagRow> next = new ArrayList<>(lastFlags.size());
        for (FlagView f : lastFlags) {
            FlagView told = answered.get(f.key());
            if (told != null && told.version() <= f.version()) {
                answered.remove(f.key());
                told = null;
            }
            next.add(FlagRow.saying(told != null ? told : f, held.get(f.key())));
        }
        if (!next.equals(rows)) {
            updateRows(next);
        }
    }

    /**
     * What waits for approval on each flag that has an open request: the newest request of each target (the flag,
     * or one of its variants, named before its request), from the node's list and what this console was just told.
     */
    private Map<String, String> held() {
        Map<String, ChangeRequest> byTarget = new HashMap<>();
        for (ChangeRequest r : requests) {
            if (r.state().open() && !r.operation().equals(ChangeRequest.GUARDRAIL_DISARM)) {
                byTarget.merge(r.target(), r, (a, b) -> a.id() > b.id() ? a : b);
            }
        }
        justHeld.forEach((key, r) -> byTarget.merge(key, r, (listed, told) -> listed.id() >= told.id() ? listed : told));
        Map<String, String> byFlag = new HashMap<>();
        byTarget.values().stream().sorted(java.util.Comparator.comparingLong(ChangeRequest::id)).forEach(r -> {
            String text = heldText(r);
            if (text == null) {
                return;
            }
            int slash = r.target().indexOf('/');
            String flag = slash < 0 ? r.target() : r.target().substring(0, slash);
            byFlag.merge(flag, slash < 0 ? text : r.target().substring(slash + 1) + " " + text, (a, b) -> a + "; " + b);
        });
        return byFlag;
    }

    private void heldChanged() {
        // Once the node lists a request, its list says where it stands; what this console was told is no longer needed.
        justHeld.values().removeIf(told -> requests.stream().anyMatch(r -> r.id() == told.id()));
        showFlags();
    }

    private void updateRows(List<FlagRow> next) {
        boolean sameKeys = next.size() == rows.size();
        for (int i = 0; sameKeys && i < next.size(); i++) {
            sameKeys = next.get(i).key().equals(rows.get(i).key());
        }
        if (!sameKeys) {
            rows.setAll(next);
            return;
        }
        // Replace only what changed, so the table keeps its selection and scroll position.
        for (int i = 0; i < next.size(); i++) {
            if (!next.get(i).equals(rows.get(i))) {
                rows.set(i, next.get(i));
            }
        }
    }

    static String signature(MetricsFrame frame) {
        StringBuilder sb = new StringBuilder();
        for (FlagView f : frame.flags()) {
            sb.append(f.key()).append(':').append(f.version()).append(f.killed() ? 'k' : '-')
                    .append(f.paused()).append(f.rolledBackAt()).append(';');
        }
        // A playbook's run may only roll back at PoPs and arm a rule: no flag version changes, and its entry is new all the same.
        for (var g : frame.guardrails()) {
            sb.append(g.id()).append(g.armed() ? '+' : '-');
        }
        return sb.append("firings=").append(frame.firings().size()).toString();
    }

    /** The audit filters as they stand: person, flag (or guardrail) and kind; blank ones match everything. */
    public AuditFilter auditFilter() {
        return new AuditFilter(personFilter.get(), flagFilter.get(), kindFilter.get());
    }

    /** Fetches the audit entries that pass the filters (the edge filters them); the table shows them newest first. */
    public void refreshAudit() {
        if (!showsAudit()) {
            return;
        }
        auditRequests++;
        var connection = session.connection();
        AuditFilter filter = auditFilter();
        background.follow(connection.audit(filter)).onSuccess(entries -> {
            if (connection != session.connection() || !filter.equals(auditFilter())) {
                return;
            }
            List<AuditEntry> newestFirst = new ArrayList<>(entries);
            java.util.Collections.reverse(newestFirst);
            audit.setAll(newestFirst);
            learn(entries);
            String counted = entries.size() + (entries.size() == 1 ? " entry" : " entries");
            auditSummary.set(filter.all() ? counted : counted + " with " + describe(filter));
        }).onFailure(failure -> message.failed("Could not read the audit log: " + failure.message())).start();
    }

    /** The people, targets and kinds seen so far, offered as filter choices. */
    private void learn(List<AuditEntry> entries) {
        for (AuditEntry e : entries) {
            addOnce(people, e.actor());
            addOnce(targets, e.target());
            addOnce(kinds, e.action());
        }
    }

    private static void addOnce(ObservableList<String> list, String value) {
        if (value != null && !value.isBlank() && !list.contains(value)) {
            list.add(value);
        }
    }

    /** "person=alice kind=request", for messages. */
    static String describe(AuditFilter f) {
        List<String> parts = new ArrayList<>();
        f.query().forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    /** True when the edge keeps an audit trail to show: not a fleet aggregator, whose nodes each keep their own. */
    public boolean showsAudit() {
        return session.connection().hasAudit();
    }

    /** True when the edge has its own export (a node): the tab then offers Export. */
    public boolean offersExport() {
        return session.connection().hasAuditExport();
    }

    /**
     * Saves the node's own export of the filtered entries (JSON lines) to {@code file}: asked for off the
     * FX thread, written on a worker; the outcome goes to the message line. FX thread.
     */
    public void exportAudit(java.nio.file.Path file) {
        var connection = session.connection();
        AuditFilter filter = auditFilter();
        String which = filter.all() ? "every entry" : describe(filter);
        message.say("Exporting the audit (" + which + ") to " + file + "…");
        background.follow(connection.exportAudit(filter).thenApplyAsync(lines -> {
            try {
                writeOwnerOnly(file, lines);
                return lines.lines().count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
            }
        })).onSuccess(count -> message.done("Exported " + count + (count == 1 ? " entry" : " entries") + " (" + which
                + ") to " + file + ", as the node exports them"))
                .onFailure(failure -> message.failed("Not exported: " + failure.message())).start();
    }

    /** The export field's first words: the home folder as a shell names it, the same on every machine. */
    public static final String DEFAULT_EXPORT = "~" + java.io.File.separator + "audit.jsonl";

    /**
     * The file the export field names: a leading {@code ~} (alone, or before a separator) is {@code home}, as a
     * shell reads it; anything else (another person's {@code ~name} included) as typed.
     */
    public static java.nio.file.Path exportFile(String typed, java.nio.file.Path home) {
        if (typed.equals("~")) {
            return home;
        }
        if (typed.startsWith("~/") || typed.startsWith("~" + java.io.File.separator)) {
            return home.resolve(typed.substring(2));
        }
        return java.nio.file.Path.of(typed);
    }

    /**
     * Writes the export readable by its owner only when new, as bundles are (it names people and their reasons),
     * through a temporary file beside it, and only into a folder that exists: a mistyped folder is named, not
     * created. An existing file keeps its permissions, and a link is written through.
     */
    static void writeOwnerOnly(java.nio.file.Path file, String lines) throws java.io.IOException {
        java.nio.file.Path target = file.toAbsolutePath();
        java.nio.file.Path folder = target.getParent();
        if (folder == null || !java.nio.file.Files.isDirectory(folder)) {
            throw new java.io.IOException("there is no folder " + folder + "; pick one that exists");
        }
        if (java.nio.file.Files.isDirectory(target)) {
            throw new java.io.IOException(target + " is a folder; name a file in it");
        }
        io.edgedeck.client.files.OutputFile.write(target, io.edgedeck.client.files.OutputFile.Access.OWNER_ONLY, lines);
    }

    public FlagRow row(String key) {
        return rows.stream().filter(r -> r.key().equals(key)).findFirst().orElse(null);
    }

    /** The selected row, or the first one; null when there are no flags. */
    public FlagRow selectedOrFirst() {
        FlagRow selected = selectedKey.get() == null ? null : row(selectedKey.get());
        return selected != null ? selected : rows.isEmpty() ? null : rows.getFirst();
    }

    // ------------------------------------------------------------------ questions

    public Prompter.Ask switchQuestion(FlagRow row, boolean on) {
        String target = on ? FlagRules.treatment(row.flag()) : row.flag().controlVariant();
        List<VariantView> weights = FlagRules.switched(row.flag(), on, beforeSwitchedOff.get(row.key()));
        return new Prompter.Ask((on ? "Switch on " : "Switch off ") + row.key() + "?",
                (on ? "Serves " : "Sends everyone to ") + target + ": " + FlagRules.describe(weights)
                        + ". Now: " + row.variants() + ". " + where(),
                on ? "Switch on" : "Switch off", context() + ": switch " + (on ? "on " : "off ") + row.key(), false);
    }

    public Prompter.Ask killQuestion(FlagRow row, boolean kill) {
        return new Prompter.Ask((kill ? "Kill " : "Revive ") + row.key() + "?",
                kill ? "Everyone gets " + row.flag().controlVariant() + " at every PoP at once, whatever the weights. " + where()
                        : "The flag serves its weights again: " + row.variants() + ". " + where(),
                kill ? "Kill flag" : "Revive flag", context() + ": " + (kill ? "kill " : "revive ") + row.key(), false);
    }

    public Prompter.Ask weightsQuestion(FlagRow row, List<VariantView> weights) {
        return new Prompter.Ask("Change the weights of " + row.key() + "?",
                "From " + row.variants() + " to " + FlagRules.describe(weights) + ". " + where(),
                "Change weights", context() + ": reweight " + row.key(), false);
    }

    private String where() {
        return switch (session.mode()) {
            case LIVE -> "This changes the LIVE show.";
            case REHEARSAL -> "Rehearsal only: nothing leaves this laptop.";
            case OFFLINE -> "A bundle opened offline: nothing can change.";
        };
    }

    /** False for a bundle opened offline: the tab then offers no switch, kill or weights. */
    public boolean allowsChanges() {
        return session.mode().allowsChanges();
    }

    private String context() {
        return session.mode().name().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ commands

    /** Switches a two-variant flag on or off with the reason given. */
    public void setOn(FlagRow row, boolean on, String reason) {
        List<VariantView> weights = FlagRules.switched(row.flag(), on, beforeSwitchedOff.get(row.key()));
        List<VariantView> before = row.flag().variants();
        change(row, weights, reason, () -> {
            if (!on) {
                beforeSwitchedOff.put(row.key(), before);
            }
        });
    }

    public void setWeights(FlagRow row, List<VariantView> weights, String reason) {
        String wrong = io.edgedeck.console.common.WeightsForm.sumProblem(weights);
        if (wrong != null) {
            message.failed("Not changed: " + wrong);
            return;
        }
        change(row, weights, reason, () -> { });
    }

    private void change(FlagRow row, List<VariantView> weights, String reason, Runnable onApplied) {
        change(row.key(), row.version(), weights, reason, onApplied);
    }

    private void change(String key, long basedOn, List<VariantView> weights, String reason, Runnable onApplied) {
        FlagChange change = new FlagChange(basedOn, weights, null, operator.get(), reason);
        background.follow(session.connection().changeFlag(key, change)).onSuccess(flag -> {
            if (draft.get() != null && draft.get().key().equals(key)) {
                draft.set(null);
            }
            onApplied.run();
            applied(flag);
        }).onFailure(failure -> {
            if (movedOn(failure)) {
                keepDraft(key, basedOn, weights, reason);
            } else {
                notApplied(failure);
            }
        }).start();
    }

    /** True when the node refused a change because the flag moved past the version it was based on. */
    private static boolean movedOn(Background.Failure failure) {
        return failure.cause() instanceof EdgeException e && e.kind() == EdgeException.Kind.CONFLICT
                && "expectedVersion".equals(e.field());
    }

    /**
     * A change the node refused because someone changed the flag first: nothing of it is lost. It is kept as a
     * draft, the flag as it now is is read from the node, and the message says in words what happened; the
     * draft applies on the new version only once the producer confirms it again ({@link #applyDraft}).
     */
    private void keepDraft(String key, long basedOn, List<VariantView> weights, String reason) {
        var connection = session.connection();
        message.failed("Not changed: someone changed " + key + " meanwhile (your change was based on v" + basedOn
                + "); reading it from the node…");
        background.follow(connection.flags()).onSuccess(flags -> {
            FlagView now = flags.stream().filter(f -> f.key().equals(key)).findFirst().orElse(null);
            if (now == null) {
                message.failed("Not changed: " + key + " is no longer on the node");
                return;
            }
            answered.merge(key, now, (known, told) -> known.version() >= told.version() ? known : told);
            showFlags();
            Draft kept = new Draft(key, basedOn, weights, reason, now);
            draft.set(kept);
            message.failed(kept.saying());
        }).onFailure(failure -> {
            draft.set(new Draft(key, basedOn, weights, reason, null));
            message.failed("Not changed: someone changed " + key + " meanwhile, and the node could not be asked how it"
                    + " stands now (" + failure.message() + "). Your change is kept.");
        }).start();
    }

    /**
     * A change the node refused because the flag moved on before it arrived, kept so the producer can apply it
     * on the version the flag is at now, or drop it.
     *
     * @param basedOn the version it was based on
     * @param now     the flag as the node had it after the refusal; null when it could not be read
     */
    public record Draft(String key, long basedOn, List<VariantView> weights, String reason, FlagView now) {
        /** "someone changed checkout-button meanwhile: now v2, control 55% · treatment 45%. Yours, …, is kept". */
        public String saying() {
            return "Not changed: someone changed " + key + " meanwhile: now v" + now.version() + ", "
                    + FlagRules.describe(now.variants()) + (now.killed() ? " (killed)" : "") + ". Your change ("
                    + FlagRules.describe(weights) + ", \"" + reason + "\") is kept: apply it on v" + now.version()
                    + " or discard it.";
        }
    }

    /** The asking of the draft's change on the version the flag is at now: a second, deliberate confirm. */
    public Prompter.Ask draftQuestion(Draft d) {
        return new Prompter.Ask("Apply your change to " + d.key() + " on v" + d.now().version() + "?",
                "Someone changed " + d.key() + " after you began: it is now v" + d.now().version() + ", "
                        + FlagRules.describe(d.now().variants()) + ". Yours sets it to " + FlagRules.describe(d.weights())
                        + ". " + where(),
                "Apply on v" + d.now().version(), d.reason(), false);
    }

    /** Sends the draft's weights, based on the version the draft's question named. FX thread. */
    public void applyDraft(Draft d, List<VariantView> weights, String reason) {
        change(d.key(), d.now().version(), weights, reason, () -> { });
    }

    /** Drops the kept change. FX thread. */
    public void discardDraft() {
        if (draft.get() != null) {
            message.say("Your change to " + draft.get().key() + " was discarded; the flag stays as the node has it.");
            draft.set(null);
        }
    }

    /** The change the node refused as based on an old version, while it is kept; null when none is. */
    public ReadOnlyObjectProperty<Draft> draftProperty() {
        return draft.getReadOnlyProperty();
    }

    private void applied(FlagView flag) {
        answered.merge(flag.key(), flag, (known, now) -> known.version() >= now.version() ? known : now);
        showFlags();
        message.done(flag.key() + " is now v" + flag.version() + ": " + FlagRules.describe(flag.variants())
                + " (" + FlagRules.propagation(flag) + ")");
        refreshAudit();
    }

    /** A change that did not apply: held for approval (the row says so), or refused. */
    private void notApplied(Background.Failure failure) {
        if (failure.cause() instanceof EdgeException e && e.kind() == EdgeException.Kind.HELD && e.heldRequest() != null) {
            ChangeRequest r = e.heldRequest();
            justHeld.put(r.target(), r);
            showFlags();
            message.say(r.target() + " " + heldText(r) + " (not applied: " + String.join("; ", r.risks()) + ")");
            refreshAudit();
            return;
        }
        message.failed("Not changed: " + failure.message());
    }

    public void setKilled(FlagRow row, boolean kill, String reason) {
        background.follow(session.connection().setKilled(row.key(), kill, operator.get(), reason)).onSuccess(flag -> {
            message.done(row.key() + (flag.killed() ? " is KILLED: control everywhere" : " serves its weights again"));
            refreshAudit();
        }).onFailure(this::notApplied).start();
    }

    // ------------------------------------------------------------------ PoP-local rollbacks

    /** True when the row has a variant rolled back at some PoPs and the edge can serve it there again. */
    public boolean offersRollbackClear(FlagRow row) {
        return !row.flag().rolledBackAt().isEmpty() && session.connection().hasRollbackClear();
    }

    public Prompter.Ask rollbackClearQuestion(FlagRow row) {
        List<String> where = new ArrayList<>();
        row.flag().rolledBackAt().forEach((variant, pops) -> where.add(variant + " at " + String.join(", ", pops)));
        return new Prompter.Ask("Serve " + row.key() + " there again?",
                "Units the split puts in " + String.join("; ", where) + " get it again there, as the weights say: "
                        + row.variants() + ". Nothing else changes. " + where(),
                "Serve again", context() + ": clear the PoP rollback of " + row.key(), false);
    }

    /**
     * Serves every variant of the row rolled back at some PoPs there again, one variant after another, at
     * the PoPs the question named and no others. A node in a fleet shows the fleet's whole list, the PoPs
     * only other nodes serve too, so there this is the fleet-wide clear; a PoP rolled back after the
     * question was asked is named nowhere and stays.
     */
    public void clearRollbacks(FlagRow row, String reason) {
        var connection = session.connection();
        java.util.concurrent.CompletableFuture<FlagView> done = java.util.concurrent.CompletableFuture.completedFuture(row.flag());
        for (var rolledBack : row.flag().rolledBackAt().entrySet()) {
            done = done.thenCompose(f -> connection.clearRollbackAt(row.key(), rolledBack.getKey(), rolledBack.getValue(),
                    operator.get(), reason));
        }
        background.follow(done).onSuccess(flag -> {
            if (flag.rolledBackAt().isEmpty()) {
                message.done(row.key() + " serves its weights at every PoP again");
            } else {
                message.partly(row.key() + ": still " + FlagRules.overrides(flag));
            }
            refreshAudit();
        }).onFailure(this::notApplied).start();
    }

    // ------------------------------------------------------------------ paused variants

    /** True when the row has a paused variant and the edge can resume it. */
    public boolean offersResume(FlagRow row) {
        return !row.flag().paused().isEmpty() && session.connection().hasVariantResume();
    }

    public Prompter.Ask resumeQuestion(FlagRow row) {
        String paused = String.join(", ", row.flag().paused());
        return new Prompter.Ask("Resume " + paused + " of " + row.key() + "?",
                "New units the split puts in " + paused + " get it again, as the weights say: " + row.variants()
                        + ". Units already placed keep what they have. " + where(),
                "Resume", context() + ": resume the paused " + paused + " of " + row.key(), false);
    }

    /**
     * Asks the edge to resume each paused variant of the row, one after another. Each is asked for whatever
     * became of the one before: a resume held for approval, or refused, does not keep the next variant from
     * being asked for. The message says what became of each.
     */
    public void resume(FlagRow row, String reason) {
        var connection = session.connection();
        List<String> variants = List.copyOf(row.flag().paused());
        java.util.concurrent.CompletableFuture<List<Object>> done =
                java.util.concurrent.CompletableFuture.completedFuture(new ArrayList<>());
        for (String variant : variants) {
            done = done.thenCompose(results -> connection.resumeVariant(row.key(), variant, operator.get(), reason)
                    .handle((flag, error) -> {
                        results.add(error == null ? flag : Background.failure(error));
                        return results;
                    }));
        }
        background.follow(done).onSuccess(results -> resumed(row.key(), variants, results))
                .onFailure(this::notApplied).start();
    }

    /** What became of each variant's resume ({@code results}: a {@link FlagView} or a {@link Background.Failure}). */
    private void resumed(String key, List<String> variants, List<Object> results) {
        FlagView last = null;
        List<String> heldOrRefused = new ArrayList<>();
        boolean refused = false;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof FlagView flag) {
                last = flag;
            } else if (results.get(i) instanceof Background.Failure failure) {
                if (failure.cause() instanceof EdgeException e && e.kind() == EdgeException.Kind.HELD && e.heldRequest() != null) {
                    ChangeRequest r = e.heldRequest();
                    justHeld.put(r.target(), r);
                    heldOrRefused.add(variants.get(i) + " " + heldText(r) + " (not applied: " + String.join("; ", r.risks()) + ")");
                } else {
                    refused = true;
                    heldOrRefused.add(variants.get(i) + " not resumed: " + failure.message());
                }
            }
        }
        if (last != null) {
            answered.merge(last.key(), last, (known, now) -> known.version() >= now.version() ? known : now);
        }
        showFlags();
        if (heldOrRefused.isEmpty() && last != null && last.paused().isEmpty()) {
            message.done(key + " takes new exposures to every variant again");
        } else if (heldOrRefused.isEmpty() && last != null) {
            message.partly(key + ": still " + FlagRules.overrides(last));
        } else {
            String words = key + ": " + String.join("; ", heldOrRefused);
            if (refused && last == null) {
                message.failed(words);
            } else if (refused) {
                message.partly(words);
            } else {
                message.say(words);
            }
        }
        refreshAudit();
    }

    // ------------------------------------------------------------------ history

    /** True when the edge keeps each flag's versions: the tab then offers History. */
    public boolean offersHistory() {
        return session.connection().hasFlagHistory();
    }

    /** Fetches every version of {@code key}, for the history card. FX thread. */
    public void loadHistory(String key) {
        historyKey.set(key);
        history.clear();
        historyMessage.set("Asking for every version of " + key + "…");
        var connection = session.connection();
        background.follow(connection.flagHistory(key)).onSuccess(versions -> {
            if (!key.equals(historyKey.get()) || connection != session.connection()) {
                return;
            }
            List<FlagVersion> newestFirst = new ArrayList<>(versions);
            java.util.Collections.reverse(newestFirst);
            history.setAll(newestFirst);
            historyMessage.set(versions.size() + (versions.size() == 1 ? " version" : " versions") + " of " + key + ", newest first");
        }).onFailure(failure -> historyMessage.set("Could not read the history of " + key + ": " + failure.message())).start();
    }

    public Prompter.Ask restoreQuestion(FlagRow row, FlagVersion version) {
        return new Prompter.Ask("Restore v" + version.version() + " of " + row.key() + "?",
                "Back to " + FlagRules.describe(version.variants()) + " scope " + io.edgedeck.console.common.PopIds.scope(version.scope()) + ". Now (v" + row.version()
                        + "): " + row.variants() + " scope " + io.edgedeck.console.common.PopIds.scope(row.scope()) + ". A restore is a flag change: where the show needs"
                        + " a second person for it, it waits for their approval. " + where(),
                "Restore v" + version.version(), context() + ": restore " + row.key() + " v" + version.version(), false);
    }

    /** Brings back {@code version}'s weights and scope, based on the version the row shows. */
    public void restore(FlagRow row, FlagVersion version, String reason) {
        background.follow(session.connection().restoreFlag(row.key(), new FlagRestore(version.version(), row.version(), reason),
                operator.get())).onSuccess(flag -> {
                    applied(flag);
                    loadHistory(row.key());
                }).onFailure(this::notApplied).start();
    }

    /** Says why a change was not offered (a viewer's shortcut), in the outcome line. FX thread. */
    public void refuse(String why) {
        message.failed(why);
    }

    // ------------------------------------------------------------------ properties

    public ObservableList<FlagRow> rows() {
        return readOnlyRows;
    }

    /** Newest first. */
    public ObservableList<AuditEntry> audit() {
        return readOnlyAudit;
    }

    /** The flag the table has selected; the kill shortcut acts on it. */
    public StringProperty selectedKeyProperty() {
        return selectedKey;
    }

    /** The outcome of the last command, for the status line. */
    public ReadOnlyStringProperty messageProperty() {
        return message.textProperty();
    }

    /** Whether the last outcome worked, failed, or only explains: the message line's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }

    /** The console's connection, which changes when a rehearsal restarts (its audit then starts again at 1). FX thread. */
    public javafx.beans.property.ReadOnlyObjectProperty<?> connectionProperty() {
        return session.connectionProperty();
    }

    /**
     * Forgets the last outcome: called when the connection comes or goes, after which a "Not changed: not
     * connected" or an old success would describe a state of the connection that is over. FX thread.
     */
    public void connectionChanged() {
        message.say("");
    }

    public StringProperty personFilterProperty() {
        return personFilter;
    }

    public StringProperty flagFilterProperty() {
        return flagFilter;
    }

    public StringProperty kindFilterProperty() {
        return kindFilter;
    }

    /** Everyone the audit named so far, to pick a person from. */
    public ObservableList<String> people() {
        return FXCollections.unmodifiableObservableList(people);
    }

    /** Every target (flag key, guardrail id) the audit named so far. */
    public ObservableList<String> targets() {
        return FXCollections.unmodifiableObservableList(targets);
    }

    /** The kinds: the families ({@code flag}, {@code request}...) and every action seen. */
    public ObservableList<String> kinds() {
        return FXCollections.unmodifiableObservableList(kinds);
    }

    /** "12 entries with person=alice", over the audit table. */
    public ReadOnlyStringProperty auditSummaryProperty() {
        return auditSummary.getReadOnlyProperty();
    }

    /** The versions of the flag whose history was asked for, newest first. */
    public ObservableList<FlagVersion> history() {
        return FXCollections.unmodifiableObservableList(history);
    }

    public ReadOnlyStringProperty historyKeyProperty() {
        return historyKey.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty historyMessageProperty() {
        return historyMessage.getReadOnlyProperty();
    }

    /** How many times the audit was requested; tests check it is not fetched every tick. */
    long auditRequests() {
        return auditRequests;
    }
}
