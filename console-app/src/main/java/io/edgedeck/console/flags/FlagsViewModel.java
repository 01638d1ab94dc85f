package io.edgedeck.console.flags;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.common.FrameTicker;
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

    /** One flag as the table shows it. */
    public record FlagRow(String key, String description, boolean switchable, boolean on, String variants,
                          String scope, long version, String propagation, boolean killed, FlagView flag) {
        static FlagRow of(FlagView f) {
            return new FlagRow(f.key(), f.description(), FlagRules.switchable(f), FlagRules.isOn(f),
                    FlagRules.describe(f.variants()), f.scope(), f.version(), FlagRules.propagation(f), f.killed(), f);
        }
    }

    private final ConsoleSession session;
    private final ObservableStringValue operator;
    private final Background background;
    private final ObservableList<FlagRow> rows = FXCollections.observableArrayList();
    private final ObservableList<AuditEntry> audit = FXCollections.observableArrayList();
    private final ObservableList<FlagRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<AuditEntry> readOnlyAudit = FXCollections.unmodifiableObservableList(audit);
    private final StringProperty selectedKey = new SimpleStringProperty(this, "selectedKey");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final Map<String, List<VariantView>> beforeSwitchedOff = new HashMap<>();
    private final ShowChange showChange = new ShowChange();
    private String auditSignature = "";
    private long auditRequests;

    public FlagsViewModel(ConsoleSession session, ObservableStringValue operator, Background background) {
        this.session = session;
        this.operator = operator;
        this.background = background;
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
            auditSignature = "";
        }
        List<FlagRow> next = frame.flags().stream().map(FlagRow::of).toList();
        if (!next.equals(rows)) {
            updateRows(next);
        }
        // The audit only changes with a flag version, a kill or a firing: fetch it then, not every tick.
        String signature = signature(frame);
        if (!signature.equals(auditSignature)) {
            auditSignature = signature;
            refreshAudit();
        }
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
            sb.append(f.key()).append(':').append(f.version()).append(f.killed() ? 'k' : '-').append(';');
        }
        return sb.append("firings=").append(frame.firings().size()).toString();
    }

    /** Fetches the audit trail; the table shows it newest first. */
    public void refreshAudit() {
        auditRequests++;
        var connection = session.connection();
        background.follow(connection.audit()).onSuccess(entries -> {
            if (connection != session.connection()) {
                return;
            }
            List<AuditEntry> newestFirst = new ArrayList<>(entries);
            java.util.Collections.reverse(newestFirst);
            audit.setAll(newestFirst);
        }).onFailure(failure -> message.set("Could not read the audit log: " + failure.message())).start();
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
        change(row, weights, reason, () -> { });
    }

    private void change(FlagRow row, List<VariantView> weights, String reason, Runnable onApplied) {
        FlagChange change = new FlagChange(row.version(), weights, null, operator.get(), reason);
        background.follow(session.connection().changeFlag(row.key(), change)).onSuccess(flag -> {
            onApplied.run();
            message.set(row.key() + " is now v" + flag.version() + ": " + FlagRules.describe(flag.variants())
                    + " (" + FlagRules.propagation(flag) + ")");
            refreshAudit();
        }).onFailure(failure -> message.set("Not changed: " + failure.message())).start();
    }

    public void setKilled(FlagRow row, boolean kill, String reason) {
        background.follow(session.connection().setKilled(row.key(), kill, operator.get(), reason)).onSuccess(flag -> {
            message.set(row.key() + (flag.killed() ? " is KILLED: control everywhere" : " serves its weights again"));
            refreshAudit();
        }).onFailure(failure -> message.set("Not changed: " + failure.message())).start();
    }

    /** Says why a change was not offered (a viewer's shortcut), in the outcome line. FX thread. */
    public void refuse(String why) {
        message.set(why);
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
        return message.getReadOnlyProperty();
    }

    /** How many times the audit was requested; tests check it is not fetched every tick. */
    long auditRequests() {
        return auditRequests;
    }
}
