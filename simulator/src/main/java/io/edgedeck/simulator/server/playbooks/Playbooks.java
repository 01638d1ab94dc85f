package io.edgedeck.simulator.server.playbooks;

import io.edgedeck.simulator.server.http.PeerValues;

import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.NewPlaybook;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.PlaybookRun;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.CrashPoint;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.fleet.ControlRecord;
import io.edgedeck.simulator.fleet.FleetGuardrails;
import io.edgedeck.simulator.server.approvals.ApprovalLanes;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowActions;
import io.edgedeck.simulator.show.ShowChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A node's playbooks: those its show declares, and those people made through the API (journaled,
 * so a restarted node has them). Running one applies every action or none, in one journal write,
 * audited as one {@code playbook.run} entry listing every change ({@link ShowActions}). A playbook
 * made through the API whose actions the approval lanes find risky is held as a
 * {@code playbook.create} change request; once approved and applied it runs without another
 * approval. The node runs a playbook itself when the guardrail it names fires by itself
 * ({@link #afterTick}), audited as that guardrail ({@code guardrail:RULE}).
 *
 * <p>Every method but the constructor runs on the engine thread.
 */
public final class Playbooks implements ApprovalLanes.Extension {
    private static final Logger LOG = LoggerFactory.getLogger(Playbooks.class);
    /** A playbook's id, and a named cue's: lowercase letters, digits and '-', at most 32 characters. */
    public static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");
    private static final String GUARDRAIL_ACTOR = "guardrail:";
    private static final String RUN = "playbook.run";
    private static final String FAIL = "playbook.fail";
    /** What a run whose every action was already in effect audits as its outcome. */
    static final String NOTHING_TO_CHANGE = "nothing to change: every action was already in effect";

    private final Map<String, Playbook> playbooks = new LinkedHashMap<>();
    private final ApprovalLanes lanes;
    /** The node's part of the fleet's control topic, or null for a node in no fleet. */
    private final FleetControl fleet;
    /** How many guardrail firings the node has looked at for playbooks to run. */
    private int firingsSeen;
    /**
     * Runs the node owed when it stopped: a firing journaled, the run of a playbook tied to it not
     * (the node was killed between the two). Run once, first thing after the restart.
     */
    private final List<Owed> owed = new ArrayList<>();
    /** Runs owed for rules the fleet's aggregator decided and rolled back since the last tick. */
    private final List<Owed> decidedByFleet = new ArrayList<>();

    /** A playbook the node is to run for a guardrail's firing. */
    record Owed(GuardrailFiring firing, String playbook) {
    }

    /**
     * @param declared the show's own playbooks
     * @param journal  the node's journal as read on start: the playbooks people made come back from it
     * @param firings  how many guardrail firings the restored show has: those ran their playbooks before
     * @param fleet    the node's part of the fleet's control topic, or null for a node in no fleet
     */
    public Playbooks(List<Playbook> declared, List<JournalRecord> journal, ApprovalLanes lanes, int firings, FleetControl fleet) {
        this.lanes = lanes;
        this.fleet = fleet;
        this.firingsSeen = firings;
        declared.forEach(p -> playbooks.put(p.id(), p));
        // The journal in order: each automatic firing owes a run of every playbook tied to its rule
        // and ready at that moment; each run or failure the node journaled as that guardrail settles
        // the oldest such debt. What is left was cut off by the node's end.
        for (JournalRecord r : journal) {
            switch (r) {
                case JournalRecord.PlaybookSaved saved -> playbooks.put(saved.playbook().id(), saved.playbook());
                case JournalRecord.GuardrailFired fired when fired.firing().automatic() -> playbooks.values().stream()
                        .filter(p -> fired.firing().rule().equals(p.onGuardrail()) && p.state() == Playbook.State.READY)
                        .forEach(p -> owed.add(new Owed(fired.firing(), p.id())));
                case JournalRecord.ActionsApplied run -> settle(run.actor(), run.action(), run.target());
                case JournalRecord.Audited entry -> settle(entry.actor(), entry.action(), entry.target());
                case JournalRecord.ControlApplied rollback when FleetGuardrails.ruleRolledBack(rollback.id(), rollback.issuer()) != null ->
                        owe(rollback, owed);
                case JournalRecord.ControlApplied run -> settle(run.actor(), run.action(), run.target());
                default -> {
                }
            }
        }
        lanes.extend(ChangeRequest.PLAYBOOK_CREATE, this);
        if (fleet != null) {
            // A rule the fleet's aggregator decides fires there: its rollback, applied here, runs this node's playbooks
            // tied to that rule, as the rule's own firing would have.
            fleet.onApplied((s, applied) -> owe(applied, decidedByFleet));
        }
    }

    /**
     * The aggregator's rollback for one of its rules ({@code applied}): a run of every ready playbook tied to
     * that rule, owed in {@code to}. Every node of the fleet owes it; the first run written changes the fleet,
     * and the others find nothing left to change.
     */
    private void owe(JournalRecord.ControlApplied applied, List<Owed> to) {
        String rule = FleetGuardrails.ruleRolledBack(applied.id(), applied.issuer());
        if (rule == null) {
            return;
        }
        String flag = applied.versions().keySet().stream().filter(k -> k.startsWith("flag/")).map(k -> k.substring(5))
                .findFirst().orElse(null);
        // its reason reads "by guardrail:RULE@fleet: guardrail RULE on every node's evidence ..."
        String said = "by guardrail:" + rule + "@fleet: guardrail " + rule + " ";
        String why = applied.reason().startsWith(said) ? applied.reason().substring(said.length()) : applied.reason();
        GuardrailFiring firing = new GuardrailFiring(applied.atMillis(), rule, flag, null, GuardrailAction.ROLLBACK, List.of(),
                why, true, "guardrail:" + rule + "@fleet", Map.of());
        playbooks.values().stream().filter(p -> rule.equals(p.onGuardrail()) && p.state() == Playbook.State.READY)
                .forEach(p -> to.add(new Owed(firing, p.id())));
    }

    private void settle(String actor, String action, String target) {
        if (!actor.startsWith(GUARDRAIL_ACTOR) || !(action.equals(RUN) || action.equals(FAIL))) {
            return;
        }
        String rule = actor.substring(GUARDRAIL_ACTOR.length());
        for (int i = 0; i < owed.size(); i++) {
            if (owed.get(i).firing().rule().equals(rule) && owed.get(i).playbook().equals(target)) {
                owed.remove(i);
                return;
            }
        }
    }

    /** The runs the node owes from before its restart; empty once they have run. */
    List<Owed> owed() {
        return List.copyOf(owed);
    }

    /** Every playbook, declared ones first; one whose request was rejected says so. */
    public List<Playbook> all() {
        return playbooks.values().stream().map(this::current).toList();
    }

    /** The playbook {@code id}, or a 404 naming it. */
    public Playbook get(String id) {
        Playbook p = playbooks.get(id);
        if (p == null) {
            throw new ApiException(404, "id", "no playbook '" + id + "'" + (playbooks.isEmpty() ? "" : "; playbooks: "
                    + String.join(", ", playbooks.keySet())));
        }
        return current(p);
    }

    private Playbook current(Playbook p) {
        if (p.state() != Playbook.State.HELD) {
            return p;
        }
        ChangeRequest r = lanes.all().stream().filter(q -> q.id() == p.requestId()).findFirst().orElse(null);
        return r != null && r.state() == ChangeRequest.State.REJECTED ? p.withState(Playbook.State.REJECTED, p.requestId()) : p;
    }

    /**
     * Makes a playbook as {@code actor}: its actions are checked against the show (as a run now
     * would make them); then it is ready at once, or, when the lanes find an action risky, held as a
     * change request, which this answers instead. One journal write either way.
     */
    public Object create(Show s, NewPlaybook p, String actor) {
        if (p.id() == null || !ID.matcher(p.id()).matches()) {
            throw ApiException.invalid("id", "must be a lowercase id: letters, digits and '-', at most 32 characters, was "
                    + PeerValues.quoted(p.id(), '\''));
        }
        if (p.reason() == null || p.reason().isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        ShowActions.validate(p.actions(), "actions");
        Playbook existing = playbooks.get(p.id());
        if (existing != null && current(existing).state() != Playbook.State.REJECTED) {
            throw new ApiException(409, "id", "playbook '" + p.id() + "' exists (" + current(existing).state().id()
                    + ", made by " + existing.createdBy() + "); pick another id");
        }
        if (p.onGuardrail() != null) {
            try {
                s.core().guardrails().status(p.onGuardrail());
            } catch (FlagNotFoundException e) {
                throw new ApiException(404, "onGuardrail", "onGuardrail: " + e.detail());
            }
        }
        ShowActions.make(s, p.actions(), "actions", actor, p.reason());
        Playbook made = new Playbook(p.id(), p.description(), p.actions(), p.onGuardrail(), Playbook.State.READY, actor, null, p.reason());
        List<String> risks = risks(s, made);
        long now = ShowChanges.now(s);
        if (!risks.isEmpty()) {
            ChangeRequest request = lanes.open(s, new ApprovalLanes.Proposal(ChangeRequest.PLAYBOOK_CREATE, p.id(), null, p.reason()),
                    risks, actor, (id, seq) -> List.of(new JournalRecord.PlaybookSaved(seq, now, made.withState(Playbook.State.HELD, id))));
            playbooks.put(p.id(), made.withState(Playbook.State.HELD, request.id()));
            return request;
        }
        Journal journal = s.core().journal();
        journal.appendAll(List.of(
                new JournalRecord.Audited(journal.nextSeq(), now, actor, "playbook.create", p.id(), "", made.describe(), p.reason()),
                new JournalRecord.PlaybookSaved(journal.nextSeq() + 1, now, made)));
        s.core().experiments().addAudit(now, actor, "playbook.create", p.id(), "", made.describe(), p.reason());
        playbooks.put(p.id(), made);
        return made;
    }

    /**
     * Why the lanes hold {@code p} back, one sentence per risky action: a weight raised above the
     * lane's limit (whatever the flag's weight is now, since it runs later), an unkill, a disarm, or
     * any of those made in the minutes before the drop.
     */
    List<String> risks(Show s, Playbook p) {
        Approvals rules = lanes.rules();
        List<String> risks = new ArrayList<>();
        boolean changes = false;
        for (PlaybookAction a : p.actions()) {
            switch (a.type()) {
                case PlaybookAction.CHANGE -> {
                    changes = true;
                    String control = ShowChanges.flag(s, a.flag()).controlVariant();
                    if (rules.variantAbovePercent() != null && a.variants() != null) {
                        a.variants().stream().filter(v -> !v.name().equals(control) && v.weight() > rules.variantAbovePercent() * 100)
                                .findFirst().ifPresent(v -> risks.add(String.format(Locale.ROOT, "raises %s of %s to %.2f%%, above %.2f%%",
                                        v.name(), a.flag(), v.weight() / 100.0, rules.variantAbovePercent())));
                    }
                }
                case PlaybookAction.UNKILL -> {
                    changes = true;
                    if (rules.unkill()) {
                        risks.add("brings the flag " + a.flag() + " back from a kill");
                    }
                }
                case PlaybookAction.DISARM -> {
                    changes = true;
                    if (rules.disarm()) {
                        risks.add("disarms the guardrail " + a.guardrail());
                    }
                }
                default -> {
                }
            }
        }
        String drop = lanes.dropRisk(s);
        if (changes && drop != null) {
            risks.add(drop);
        }
        return risks;
    }

    /**
     * Runs the ready playbook {@code id} as {@code actor}: every action or none, one journal write,
     * one audit entry. Actions that would change nothing are left out; when all would, the run is
     * still audited, as a {@code playbook.run} entry saying nothing needed changing: a person fired
     * it, and the audit shows every operator action.
     */
    public PlaybookRun run(Show s, String id, String actor, String reason) {
        return run(s, runnable(id, reason), actor, "", reason);
    }

    /**
     * The run of the ready playbook {@code id} on a fleet node (docs/FLEET.md): its actions, checked as
     * {@link #run} checks them, written to the control topic as one record that every node applies,
     * audited here as one {@code playbook.run} entry. A run whose every action is already in effect
     * writes nothing and is audited here at once, as {@link #run} audits it.
     */
    public FleetControl.Proposal runInFleet(Show s, String id, String actor, String reason) {
        Playbook p = runnable(id, reason);
        ShowActions.Made made = ShowActions.make(s, p.actions(), "actions", actor, reason);
        PlaybookRun answer = new PlaybookRun(p.id(), actor, ShowChanges.now(s), made.changes());
        if (made.steps().isEmpty()) {
            s.core().experiments().audited(ShowChanges.now(s), actor, RUN, p.id(), "", NOTHING_TO_CHANGE, reason);
            return new FleetControl.Proposal.Answer(answer);
        }
        return new FleetControl.Proposal.Write(made.steps(), actor, reason,
                new ControlRecord.Run(RUN, p.id(), "", String.join("; ", made.changes())), null, answer, "the run of playbook " + id,
                null);
    }

    /** The ready playbook {@code id} a person may run now for {@code reason}, or the answer why not. */
    private Playbook runnable(String id, String reason) {
        Playbook p = get(id);
        if (p.state() != Playbook.State.READY) {
            throw new ApiException(409, null, "playbook '" + id + "' is " + p.state().id() + switch (p.state()) {
                case HELD -> ": change request #" + p.requestId() + " needs another person's approval and an apply first";
                case REJECTED -> ": its change request #" + p.requestId() + " was rejected";
                default -> "";
            } + "; nothing changed");
        }
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        return p;
    }

    private PlaybookRun run(Show s, Playbook p, String actor, String before, String reason) {
        ShowActions.Made made = ShowActions.make(s, p.actions(), "actions", actor, reason);
        if (made.steps().isEmpty()) {
            s.core().experiments().audited(ShowChanges.now(s), actor, RUN, p.id(), before, NOTHING_TO_CHANGE, reason);
        } else {
            s.core().applyActions(ShowActions.record(s, made, actor, RUN, p.id(), before, reason), true);
        }
        return new PlaybookRun(p.id(), actor, ShowChanges.now(s), made.changes());
    }

    /**
     * Takes the playbook {@code id} out of use as {@code actor}: it stays listed, retired, and is never
     * run again, by a person, a schedule or its guardrail. One journal write, one
     * {@code playbook.retire} entry. A held playbook is refused (its request is rejected instead), as
     * is one already retired.
     */
    public Playbook retire(Show s, String id, String actor, String reason) {
        Playbook p = get(id);
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        switch (p.state()) {
            case RETIRED -> throw new ApiException(409, null, "playbook '" + id + "' is retired already; nothing changed");
            case HELD -> throw new ApiException(409, null, "playbook '" + id + "' waits on change request #" + p.requestId()
                    + ": reject the request instead; nothing changed");
            default -> {
            }
        }
        Playbook retired = p.withState(Playbook.State.RETIRED, p.requestId());
        long now = ShowChanges.now(s);
        Journal journal = s.core().journal();
        journal.appendAll(List.of(
                new JournalRecord.Audited(journal.nextSeq(), now, actor, "playbook.retire", id, p.state().id(), "retired", reason),
                new JournalRecord.PlaybookSaved(journal.nextSeq() + 1, now, retired)));
        s.core().experiments().addAudit(now, actor, "playbook.retire", id, p.state().id(), "retired", reason);
        playbooks.put(id, retired);
        return retired;
    }

    /** The ready playbook {@code id}, for a scheduled change; 404 or 409 as {@code field}. */
    Playbook ready(String id, String field) {
        Playbook p = playbooks.get(id);
        if (p == null) {
            throw new ApiException(404, field, "no playbook '" + id + "'");
        }
        if (current(p).state() != Playbook.State.READY) {
            throw new ApiException(409, field, "playbook '" + id + "' is " + current(p).state().id() + ", not ready to run");
        }
        return p;
    }

    /**
     * After each tick: runs each ready playbook whose {@code onGuardrail} fired by itself since the
     * last look, as that guardrail. A run the journal cannot take now is tried again after the next
     * tick; one whose actions cannot apply is logged and audited as {@code playbook.fail}.
     */
    public void afterTick(Show s) {
        List<GuardrailFiring> firings = s.core().guardrails().firings();
        try {
            while (!owed.isEmpty()) {
                Owed o = owed.getFirst();
                Playbook p = playbooks.get(o.playbook());
                if (p != null) {
                    LOG.info("Running playbook {} for guardrail {}'s firing at {} ms of the show: the node stopped before it ran",
                            o.playbook(), o.firing().rule(), o.firing().atMillis());
                    runFor(s, p, o.firing());
                }
                owed.removeFirst();
            }
            while (!decidedByFleet.isEmpty()) {
                Owed o = decidedByFleet.getFirst();
                Playbook p = playbooks.get(o.playbook());
                if (p != null && current(p).state() == Playbook.State.READY) {
                    LOG.info("Running playbook {}: the fleet's aggregator rolled back for guardrail {}", o.playbook(), o.firing().rule());
                    runFor(s, p, o.firing());
                }
                decidedByFleet.removeFirst();
            }
            while (firingsSeen < firings.size()) {
                GuardrailFiring f = firings.get(firingsSeen);
                if (f.automatic()) {
                    for (Playbook p : playbooks.values()) {
                        if (f.rule().equals(p.onGuardrail()) && current(p).state() == Playbook.State.READY) {
                            CrashPoint.PLAYBOOK_OWED.reach();
                            runFor(s, p, f);
                        }
                    }
                }
                firingsSeen++;
            }
        } catch (JournalUnavailableException e) {
            LOG.warn("A playbook waits for the journal to take writes again: {}", e.getMessage());
        }
    }

    /**
     * Runs {@code p} for the firing {@code f}, as that guardrail, and always leaves a journaled
     * record of it: the run, a {@code playbook.run} entry saying nothing needed changing, or a
     * {@code playbook.fail}. That record is how a restarted node knows the firing was answered.
     */
    private void runFor(Show s, Playbook p, GuardrailFiring f) {
        if (fleet == null) {
            runHere(s, p, f);
            return;
        }
        // On a fleet node, as a person's run: one record every node applies, written off the engine thread.
        // Checked again when the writer takes it; if the fleet does not take it, run here alone.
        String id = p.id();
        String actor = GUARDRAIL_ACTOR + f.rule();
        String reason = "guardrail " + f.rule() + " fired: " + f.reason();
        String before = "run by the node: guardrail " + f.rule() + " fired";
        fleet.changeSoonOrHere(show -> {
            Playbook now = playbooks.get(id);
            if (now == null || current(now).state() != Playbook.State.READY) {
                return new FleetControl.Proposal.Answer(null);
            }
            ShowActions.Made made;
            try {
                made = ShowActions.make(show, now.actions(), "actions", actor, reason);
            } catch (JournalUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("Playbook {} was not run after guardrail {} fired: {}", id, f.rule(), e.getMessage());
                show.core().experiments().audited(ShowChanges.now(show), actor, FAIL, id, "", "nothing changed: " + e.getMessage(),
                        reason);
                return new FleetControl.Proposal.Answer(null);
            }
            if (made.steps().isEmpty()) {
                show.core().experiments().audited(ShowChanges.now(show), actor, RUN, id, before, NOTHING_TO_CHANGE, reason);
                return new FleetControl.Proposal.Answer(null);
            }
            return new FleetControl.Proposal.Write(made.steps(), actor, reason, new ControlRecord.Run(RUN, id, before,
                    String.join("; ", made.changes())), null, id, "playbook " + id + "'s run for guardrail " + f.rule(), null);
        }, "playbook " + id + "'s run for guardrail " + f.rule(), show -> {
            Playbook now = playbooks.get(id);
            if (now != null && current(now).state() == Playbook.State.READY) {
                runHere(show, now, f);
            }
        });
    }

    /** Runs {@code p} for {@code f} on this node, as a node in no fleet does. */
    private void runHere(Show s, Playbook p, GuardrailFiring f) {
        String actor = GUARDRAIL_ACTOR + f.rule();
        String reason = "guardrail " + f.rule() + " fired: " + f.reason();
        String before = "run by the node: guardrail " + f.rule() + " fired";
        try {
            run(s, p, actor, before, reason);
        } catch (JournalUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Playbook {} was not run after guardrail {} fired: {}", p.id(), f.rule(), e.getMessage());
            s.core().experiments().audited(ShowChanges.now(s), actor, FAIL, p.id(), "", "nothing changed: " + e.getMessage(),
                    reason);
        }
    }

    // ------------------------------------------------------------------ the lanes' side

    @Override
    public List<JournalRecord> applying(Show s, ChangeRequest r, String person, String reason, long seq) {
        Playbook p = playbooks.get(r.target());
        if (p == null || p.state() != Playbook.State.HELD || p.requestId() != r.id()) {
            throw new ApiException(409, null, "playbook '" + r.target() + "' is not waiting on request #" + r.id() + "; nothing changed");
        }
        ShowActions.make(s, p.actions(), "actions", person, reason);
        long now = ShowChanges.now(s);
        Playbook ready = p.withState(Playbook.State.READY, r.id());
        return List.of(new JournalRecord.Audited(seq, now, person, "playbook.create", p.id(), "held (request #" + r.id() + ")",
                        ready.describe(), reason),
                new JournalRecord.PlaybookSaved(seq + 1, now, ready));
    }

    @Override
    public void applied(Show s, List<JournalRecord> records) {
        for (JournalRecord r : records) {
            switch (r) {
                case JournalRecord.Audited a -> s.core().experiments().addAudit(a.atMillis(), a.actor(), a.action(), a.target(),
                        a.before(), a.after(), a.reason());
                case JournalRecord.PlaybookSaved saved -> playbooks.put(saved.playbook().id(), saved.playbook());
                default -> {
                }
            }
        }
    }
}
