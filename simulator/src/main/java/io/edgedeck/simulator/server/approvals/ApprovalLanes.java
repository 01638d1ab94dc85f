package io.edgedeck.simulator.server.approvals;

import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowChanges;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The node's approval lanes: which changes are risky (the show's {@link Approvals}), and the change
 * requests a risky change becomes instead of applying. A person with the approver role other than
 * the requester approves or rejects a request; the requester may edit it while it is open, which
 * voids an approval; an approved request is applied on request, as the change it holds.
 *
 * <p>Every method runs on the engine thread (the node calls them inside {@code ShowRunner.submit}),
 * so a check and what follows from it see one state. Each event is one journal write: the request as
 * it stands with the audit entry of the event, or, for an apply, with the change itself, so a
 * restarted node has the same requests and never a change without its request marked applied.
 */
public final class ApprovalLanes {
    private final Approvals rules;
    private final LongSupplier wallClock;
    private final Map<Long, ChangeRequest> requests = new LinkedHashMap<>();
    private final Map<String, Extension> extensions = new java.util.HashMap<>();
    /** Requests whose change is on its way through the fleet's control topic: nothing else is done to them meanwhile. */
    private final java.util.Set<Long> inFlight = new java.util.HashSet<>();
    private long lastId;
    private PopRollbacks popRollbacks = PopRollbacks.ENGINE;

    /**
     * Where a clear of a PoP-local rollback finds the PoPs where the variant is rolled back, and numbers
     * its rollbacks: this node's engine, or, on a node in a fleet, the fleet's control topic (which also
     * holds the PoPs other nodes serve). Engine thread.
     */
    public interface PopRollbacks {
        /** The PoPs where {@code target} ({@code FLAG/VARIANT}) is rolled back. */
        java.util.Set<String> at(Show s, String target);

        /** The number of its newest rollback (what a clear request {@link ChangeRequest#lifts}), 0 if there was none. */
        long newest(Show s, String target);

        /**
         * Where {@link #newest} numbers rollbacks that are not all this node's own (a fleet's list): the number
         * of the newest PoP-local rollback on this node, as its engine numbers them (those it applied from the
         * fleet's list included) (what a clear request
         * {@link ChangeRequest#ownLifts}); null where {@link #newest} is the engine's own numbering.
         */
        Long ownNewest(Show s, String target);

        /**
         * The PoPs where it was rolled back by a rollback numbered above {@code number}, or by one of this
         * node's own numbered above {@code own}; for a request that did not record {@code own} (null, journaled
         * before nodes did), by one made at {@code openedAtMillis} (engine time, when the request was opened)
         * or later. Sorted.
         */
        List<String> since(Show s, String target, long number, Long own, long openedAtMillis);

        /** What a clear at {@code pops} is refused for: an unknown flag, variant or PoP. */
        void check(Show s, String flag, String variant, List<String> pops);

        /** A node in no fleet: its engine's own rollbacks. */
        PopRollbacks ENGINE = new PopRollbacks() {
            @Override
            public java.util.Set<String> at(Show s, String target) {
                return s.core().experiments().rolledBackAt().getOrDefault(target, java.util.Set.of());
            }

            @Override
            public long newest(Show s, String target) {
                return s.core().experiments().rollbacks(target);
            }

            @Override
            public Long ownNewest(Show s, String target) {
                return null;
            }

            @Override
            public List<String> since(Show s, String target, long number, Long own, long openedAtMillis) {
                return s.core().experiments().rolledBackSince(target, number);
            }

            @Override
            public void check(Show s, String flag, String variant, List<String> pops) {
                s.core().experiments().checkRollbackAt(flag, variant, pops);
            }
        };
    }

    /** Clears of PoP-local rollbacks see them as {@code rollbacks} has them. Call before the node serves. */
    public void popRollbacksFrom(PopRollbacks rollbacks) {
        this.popRollbacks = java.util.Objects.requireNonNull(rollbacks, "rollbacks");
    }

    /**
     * A kind of change other than a flag's or a guardrail's that the lanes hold back for its owner
     * (a playbook made through the API): the owner finds the risks and opens the request; the lanes
     * take it through approval; on apply the owner makes the records of the change. Engine thread.
     */
    public interface Extension {
        /**
         * The records that apply {@code r} as {@code person}, numbered from {@code seq}, with the one
         * audit entry of the apply among them; checked now (a refusal throws and nothing changes).
         */
        List<JournalRecord> applying(Show s, ChangeRequest r, String person, String reason, long seq);

        /** Takes effect once {@code records} are durable. */
        void applied(Show s, List<JournalRecord> records);
    }

    /** Lets {@code owner} take requests of {@code operation} through the lanes. Call before the node serves. */
    public void extend(String operation, Extension owner) {
        extensions.put(operation, owner);
    }

    /**
     * @param journal   the node's journal as it was read on start: the requests come back from it
     * @param wallClock the wall clock in epoch ms, for a {@code beforeDrop} moment given on it
     */
    public ApprovalLanes(Approvals rules, List<JournalRecord> journal, LongSupplier wallClock) {
        this.rules = rules;
        this.wallClock = wallClock;
        for (JournalRecord r : journal) {
            if (r instanceof JournalRecord.RequestChanged c) {
                requests.put(c.request().id(), c.request());
                lastId = Math.max(lastId, c.request().id());
            }
        }
    }

    /** The lanes the show configured. */
    public Approvals rules() {
        return rules;
    }

    /**
     * What a person asked for: an operation on a target, with its change (flag changes) and reason; for
     * a PoP-local rollback cleared, the PoPs named (empty: every PoP where it is), else null.
     */
    public record Proposal(String operation, String target, FlagChange change, String reason, List<String> pops) {
        public Proposal(String operation, String target, FlagChange change, String reason) {
            this(operation, target, change, reason, null);
        }

        /** A variant served again where a PoP-local rollback sent it to control: target {@code FLAG/VARIANT}. */
        public static Proposal rollbackClear(String flag, String variant, List<String> pops, String reason) {
            return new Proposal(ChangeRequest.ROLLBACK_CLEAR, flag + "/" + variant, null, reason, List.copyOf(pops));
        }

        /** A paused variant resumed: target {@code FLAG/VARIANT}. */
        public static Proposal resume(String flag, String variant, String reason) {
            return new Proposal(ChangeRequest.VARIANT_RESUME, flag + "/" + variant, null, reason);
        }
    }

    /** The flag and variant of a variant's operation's target, {@code FLAG/VARIANT}. */
    private static String[] flagAndVariant(String target) {
        int slash = target.indexOf('/');
        return new String[] {target.substring(0, slash), target.substring(slash + 1)};
    }

    /** The PoPs a clear of {@code target} at {@code pops} (every PoP where it is, when empty) serves the variant again at now. */
    public List<String> lifted(Show s, String target, List<String> pops) {
        var at = popRollbacks.at(s, target);
        return (pops == null || pops.isEmpty() ? List.copyOf(at) : pops).stream().filter(at::contains).distinct().sorted().toList();
    }

    /**
     * What a request of {@code operation} on {@code target} lifts now, as the node numbers it (the request's
     * {@link ChangeRequest#lifts}): the variant's newest pause or PoP-local rollback, the flag version its
     * kill made, the guardrail's newest arming; null for an operation that lifts nothing (a flag change names
     * the version it changes, a playbook the request it waits on).
     */
    private Long lifts(Show s, String operation, String target) {
        return switch (operation) {
            case ChangeRequest.VARIANT_RESUME -> s.core().experiments().pauses(target);
            case ChangeRequest.ROLLBACK_CLEAR -> popRollbacks.newest(s, target);
            case ChangeRequest.FLAG_UNKILL -> killedAt(s, target);
            case ChangeRequest.GUARDRAIL_DISARM -> s.core().guardrails().armings(target);
            default -> null;
        };
    }

    /**
     * For a clear on a node whose {@link #lifts} numbers a fleet's list, the newest PoP-local rollback on
     * this node, as its engine numbers them (the request's {@link ChangeRequest#ownLifts}); else null.
     */
    private Long ownLifts(Show s, String operation, String target) {
        return operation.equals(ChangeRequest.ROLLBACK_CLEAR) ? popRollbacks.ownNewest(s, target) : null;
    }

    /** The version the flag's newest kill made, 0 if it was never killed. */
    private static long killedAt(Show s, String key) {
        List<io.edgedeck.client.model.FlagVersion> history = s.core().experiments().registry().history(key);
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).action().equals("flag.kill")) {
                return history.get(i).version();
            }
        }
        return 0;
    }

    /** For a clear, the PoPs it serves the variant again at now, which the request keeps; else the PoPs {@code p} names. */
    private List<String> frozenPops(Show s, Proposal p) {
        if (!p.operation().equals(ChangeRequest.ROLLBACK_CLEAR)) {
            return p.pops();
        }
        List<String> lifted = lifted(s, p.target(), p.pops());
        return lifted.isEmpty() ? p.pops() : lifted;
    }

    /**
     * Why {@code p} by {@code actor} must wait for a second person, one sentence each; empty when it
     * may apply at once. A change the engine would refuse (an unknown flag, a stale version, weights
     * that do not add up) is refused here with the engine's own answer, held or not.
     */
    public List<String> risks(Show s, Proposal p, String actor) {
        check(s, p, actor);
        List<String> risks = new ArrayList<>();
        boolean changes = switch (p.operation()) {
            case ChangeRequest.FLAG_CHANGE -> s.core().experiments().registry().get(p.target())
                    .filter(d -> d.version() == p.change().expectedVersion()).map(d -> {
                        raisedAbove(d, p.change()).ifPresentOrElse(risks::add, () -> { });
                        return true;
                    }).orElse(false);
            case ChangeRequest.FLAG_UNKILL -> s.core().experiments().registry().get(p.target()).map(d -> {
                if (d.killed() && rules.unkill()) {
                    risks.add("brings the killed flag " + p.target() + " back");
                }
                return d.killed();
            }).orElse(false);
            case ChangeRequest.GUARDRAIL_DISARM -> s.core().guardrails().armed().getOrDefault(p.target(), false)
                    && addIf(risks, rules.disarm(), "disarms the armed guardrail " + p.target());
            case ChangeRequest.ROLLBACK_CLEAR -> {
                List<String> lifted = lifted(s, p.target(), p.pops());
                yield !lifted.isEmpty() && addIf(risks, rules.unkill(), "serves " + p.target() + " again at "
                        + String.join(", ", lifted) + ", where a rollback sent it to control");
            }
            case ChangeRequest.VARIANT_RESUME -> {
                String[] fv = flagAndVariant(p.target());
                yield ShowChanges.paused(s, fv[0], fv[1])
                        && addIf(risks, rules.unkill(), "resumes " + p.target() + ", which was paused for new exposures");
            }
            default -> throw new IllegalArgumentException("not a change the lanes know: " + p.operation());
        };
        String drop = dropRisk(s);
        if (changes && drop != null) {
            risks.add(drop);
        }
        return risks;
    }

    /** The risk of any change made now, in the minutes before the drop; null outside them or without that lane. */
    public String dropRisk(Show s) {
        Approvals.BeforeDrop drop = rules.beforeDrop();
        return drop != null && drop.covers(ShowChanges.now(s), wallClock.getAsLong())
                ? "made in the last " + drop.minutes() + " minutes before " + drop.cue() : null;
    }

    private static boolean addIf(List<String> risks, boolean rule, String risk) {
        if (rule) {
            risks.add(risk);
        }
        return true;
    }

    private java.util.Optional<String> raisedAbove(FlagDefinition d, FlagChange change) {
        if (rules.variantAbovePercent() == null || change.variants() == null) {
            return java.util.Optional.empty();
        }
        double limit = rules.variantAbovePercent() * 100;
        for (VariantView v : change.variants()) {
            if (!v.name().equals(d.controlVariant()) && v.weight() > limit && v.weight() > d.weightOf(v.name())) {
                return java.util.Optional.of(String.format(Locale.ROOT, "raises %s of %s to %.2f%%, above %.2f%%", v.name(), d.key(),
                        v.weight() / 100.0, rules.variantAbovePercent()));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Holds {@code p} back as a new pending request of {@code requester}; {@link #risks} has checked
     * that the engine would take it as it stands (a change that could never apply is refused now, not later).
     */
    public ChangeRequest open(Show s, Proposal p, List<String> risks, String requester) {
        return open(s, p, risks, requester, (id, seq) -> List.of());
    }

    /**
     * The same, with records of the request's owner ({@link Extension}) written in the same journal
     * write: {@code with} makes them from the new request's id and the first sequence number they take.
     */
    public ChangeRequest open(Show s, Proposal p, List<String> risks, String requester,
                              java.util.function.BiFunction<Long, Long, List<JournalRecord>> with) {
        ChangeRequest r = new ChangeRequest(lastId + 1, ChangeRequest.State.PENDING, requester, p.operation(), p.target(),
                change(p, requester), p.reason(), risks, 1, ShowChanges.now(s), null, null, null, null, null, frozenPops(s, p),
                lifts(s, p.operation(), p.target()), ownLifts(s, p.operation(), p.target()));
        record(s, r, requester, "request.open", "", "#" + r.id() + " pending: " + r.describe() + " (" + String.join("; ", risks) + ")",
                p.reason(), with.apply(r.id(), s.core().journal().nextSeq() + 2));
        lastId = r.id();
        return r;
    }

    private static FlagChange change(Proposal p, String requester) {
        FlagChange c = p.change();
        return c == null ? null : new FlagChange(c.expectedVersion(), c.variants(), c.scope(), requester, p.reason());
    }

    /** The engine's own checks of {@code p}, without applying it. */
    private void check(Show s, Proposal p, String actor) {
        switch (p.operation()) {
            case ChangeRequest.FLAG_CHANGE -> s.core().experiments().registry()
                    .check(ShowChanges.command(s, p.target(), p.change(), actor, p.reason()));
            case ChangeRequest.FLAG_UNKILL -> ShowChanges.flag(s, p.target());
            case ChangeRequest.GUARDRAIL_DISARM -> s.core().guardrails().status(p.target());
            case ChangeRequest.ROLLBACK_CLEAR -> {
                String[] fv = flagAndVariant(p.target());
                ShowChanges.flag(s, fv[0]);
                popRollbacks.check(s, fv[0], fv[1], p.pops() == null ? List.of() : p.pops());
            }
            case ChangeRequest.VARIANT_RESUME -> {
                String[] fv = flagAndVariant(p.target());
                ShowChanges.flag(s, fv[0]);
                s.core().experiments().checkPause(fv[0], fv[1]);
            }
            default -> throw new ApiException(409, null, "a " + p.operation() + " request is not edited: reject it and ask again");
        }
        if (p.reason() == null || p.reason().isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
    }

    public List<ChangeRequest> all() {
        return List.copyOf(requests.values());
    }

    /** Every request as a reader sees it: an approved one that can no longer apply says why ({@link #stale}). */
    public List<ChangeRequest> read(Show s) {
        return requests.values().stream().map(r -> read(s, r)).toList();
    }

    /** Request {@code id} as a reader sees it, or a 404 naming it. */
    public ChangeRequest read(Show s, String id) {
        return read(s, get(id));
    }

    private ChangeRequest read(Show s, ChangeRequest r) {
        String why = stale(s, r);
        return why == null ? r : r.withStale(why);
    }

    /**
     * Why open request {@code r} can only be refused if applied now, as its apply would say (409): what it
     * lifts was taken again since it was opened or is gone, or its flag moved past its {@code expectedVersion},
     * whether on this node or, in a fleet, through the control topic. Null while it may apply, while it is in
     * flight, and for a decided request or one of an owner's kind (a playbook's). Such a refusal only
     * grows older: a kill, an arming, a rollback or a pause taken again, and a flag's version, are never taken
     * back, so a revision found stale stays so (an edit makes a new revision, checked again). Changes nothing.
     */
    public String stale(Show s, ChangeRequest r) {
        ApiException refused = refusal(s, r);
        return refused == null ? null : withoutNothingChanged(refused.getMessage());
    }

    /** The 409 the apply of open request {@code r} would get now, or null (see {@link #stale}). */
    private ApiException refusal(Show s, ChangeRequest r) {
        if (!r.state().open() || inFlight.contains(r.id())) {
            return null;
        }
        try {
            liftsKnown(s, r);
            switch (r.operation()) {
                case ChangeRequest.FLAG_CHANGE, ChangeRequest.FLAG_UNKILL -> flagCommand(s, r, r.requester(), r.reason(), ShowChanges.now(s));
                case ChangeRequest.GUARDRAIL_DISARM -> stillArmed(s, r);
                case ChangeRequest.ROLLBACK_CLEAR -> stillRolledBack(s, r);
                case ChangeRequest.VARIANT_RESUME -> stillPaused(s, r);
                default -> {
                    return null;
                }
            }
            return null;
        } catch (ApiException refused) {
            return refused.status() == 409 ? refused : null;
        } catch (io.edgedeck.engine.flags.FlagConflictException moved) {
            return new ApiException(409, "expectedVersion", "request #" + r.id() + " can no longer apply: " + moved.getMessage()
                    + "; reject or withdraw it, or edit it");
        }
    }

    /** A refusal's words as a state rather than an answer: "...; nothing changed" said of an apply not made. */
    private static String withoutNothingChanged(String detail) {
        return detail.endsWith("; nothing changed") ? detail.substring(0, detail.length() - "; nothing changed".length()) : detail;
    }

    /** The request numbered {@code id}, or a 404 naming it. */
    public ChangeRequest get(String id) {
        ChangeRequest r = null;
        try {
            r = requests.get(Long.parseLong(id));
        } catch (NumberFormatException notANumber) {
            // not an id, so no such request
        }
        if (r == null) {
            throw new ApiException(404, "id", "no change request " + id);
        }
        return r;
    }

    /**
     * {@code person} approves revision {@code revision} of the request, the one they saw; they must
     * not be its requester. When the requester edited it since, the approval is refused (409): an
     * approval is of the revision its approver saw, never of a later one.
     */
    public ChangeRequest approve(Show s, String id, String person, int revision, String reason) {
        ChangeRequest r = open(id, "approved");
        if (r.requester().equals(person)) {
            throw ApiException.refused(ApiException.OWN_REQUEST, person + " opened request #" + r.id()
                    + ": another person with the approver role must approve it; nothing changed");
        }
        sameRevision(r, revision, "approved");
        if (r.state() != ChangeRequest.State.PENDING) {
            throw new ApiException(409, null, "request #" + r.id() + " is already approved by " + r.decidedBy());
        }
        // An approval of a change whose apply could only be refused would approve nothing that can happen.
        ApiException cannotApply = refusal(s, r);
        if (cannotApply != null) {
            throw new ApiException(409, cannotApply.field(), "not approved: " + withoutNothingChanged(cannotApply.getMessage())
                    + "; nothing changed");
        }
        ChangeRequest next = r.decided(ChangeRequest.State.APPROVED, person, ShowChanges.now(s), reason);
        record(s, next, person, "request.approve", "#" + r.id() + " pending (revision " + r.revision() + ")",
                "#" + r.id() + " approved: " + r.describe(), reason);
        return next;
    }

    /**
     * {@code person} (an approver, or the requester withdrawing it) rejects an open request; of
     * {@code revision}, when they name the one they saw (null: whatever it now asks).
     */
    public ChangeRequest reject(Show s, String id, String person, boolean approver, Integer revision, String reason) {
        ChangeRequest r = open(id, "rejected");
        if (!approver && !r.requester().equals(person)) {
            throw ApiException.forbidden(ApiException.NOT_REQUESTER, Role.APPROVER, null, "request #" + r.id() + " is " + r.requester()
                    + "'s: a person with the"
                    + " approver role rejects it, or its requester withdraws it; nothing changed");
        }
        if (revision != null) {
            sameRevision(r, revision, "rejected");
        }
        ChangeRequest next = r.decided(ChangeRequest.State.REJECTED, person, ShowChanges.now(s), reason);
        record(s, next, person, "request.reject", "#" + r.id() + " " + r.state().id(), "#" + r.id() + " rejected: " + r.describe(),
                reason);
        return next;
    }

    /** A 409 naming the revision {@code r} is at when the caller decided on another. */
    private static void sameRevision(ChangeRequest r, int seen, String verb) {
        if (seen != r.revision()) {
            throw new ApiException(409, "revision", "request #" + r.id() + " is at revision " + r.revision() + ", not " + seen
                    + (seen < r.revision() ? ": " + r.requester() + " edited it since; read it again and decide on what it asks now"
                    : ": it has no such revision yet") + "; nothing " + verb + ", nothing changed");
        }
    }

    /**
     * The requester's new revision of an open request, checked as an opening is: its risks found
     * again for the change it now asks. Nothing is written; {@link #edit(Show, Edit)} or, when no risk
     * is left, {@link #applyEdit} makes it.
     *
     * @param was  the request as it stood
     * @param next the new revision, pending, with its own risks
     */
    public record Edit(ChangeRequest was, ChangeRequest next, String person) {
        /** True when the new revision still waits for an approver. */
        public boolean risky() {
            return !next.risks().isEmpty();
        }
    }

    /** The requester's edit of request {@code id}, checked and with its risks; changes nothing. */
    public Edit editing(Show s, String id, String person, FlagChange change, String reason) {
        ChangeRequest r = open(id, "edited");
        if (!r.requester().equals(person)) {
            throw ApiException.refused(ApiException.NOT_REQUESTER, "request #" + r.id() + " is " + r.requester()
                    + "'s: only they may edit it (an approver approves or rejects it); nothing changed");
        }
        Proposal p = new Proposal(r.operation(), r.target(), change, reason, r.pops());
        List<String> risks = risks(s, p, person);
        return new Edit(r, r.edited(change(p, person), reason, risks, frozenPops(s, p), lifts(s, r.operation(), r.target()),
                ownLifts(s, r.operation(), r.target())), person);
    }

    /**
     * The requester changes what an open request asks for, checked as an opening is: while a risk is
     * left, a new revision, pending again, an approval of the earlier revision void; with none left,
     * the change applies at once as an opening without risk would, and the request is applied.
     */
    public ChangeRequest edit(Show s, String id, String person, FlagChange change, String reason) {
        Edit e = editing(s, id, person, change, reason);
        return e.risky() ? edit(s, e) : applyEdit(s, e);
    }

    /** Records {@code e}, a revision that still waits: one journal write with its {@code request.edit} entry. */
    public ChangeRequest edit(Show s, Edit e) {
        ChangeRequest r = e.was();
        ChangeRequest next = e.next();
        record(s, next, e.person(), "request.edit", "#" + r.id() + " " + r.state().id() + " (revision " + r.revision() + ")"
                        + (r.decidedBy() != null ? ", approved by " + r.decidedBy() : ""),
                "#" + r.id() + " pending (revision " + next.revision() + "): " + next.describe()
                        + (r.decidedBy() != null ? "; the approval is void" : "") + " (" + String.join("; ", next.risks()) + ")",
                next.reason());
        return next;
    }

    /**
     * Applies {@code e}, a revision without risk, as its requester: the change and the request marked
     * applied in one journal write, audited as the change itself, its reason naming the request.
     */
    public ChangeRequest applyEdit(Show s, Edit e) {
        return applyNow(s, e.next(), e.person(), editedReason(e.next(), null));
    }

    /**
     * In a fleet: what applying {@code e}, a revision without risk, changes. The request is then in flight
     * until {@link #settled}: the record of its change marks it applied ({@link #marking}).
     *
     * @param node this node's name, which the reason names the request with: every node of the fleet applies the
     *             change, and requests are numbered per node
     */
    public Applying applyingEdit(Show s, Edit e, String node) {
        return inFlight(applying(s, e.next(), e.person(), editedReason(e.next(), node)));
    }

    private static String editedReason(ChangeRequest r, String node) {
        return r.reason() + " (request " + named(r, node) + " by " + r.requester() + ", revision " + r.revision()
                + " has no risk left: applied without approval)";
    }

    /** How a reason names request {@code r}: {@code #N} on its own node, {@code NODE#N} for a fleet's every node. */
    private static String named(ChangeRequest r, String node) {
        return (node == null ? "" : node) + "#" + r.id();
    }

    /**
     * Applies an approved request as {@code person}: the change and the request marked applied in
     * one journal write, then the change takes effect and is audited as itself, naming the request.
     */
    public ChangeRequest apply(Show s, String id, String person) {
        ChangeRequest r = approved(id);
        return applyNow(s, r, person, appliedReason(r, null));
    }

    private ChangeRequest applyNow(Show s, ChangeRequest r, String person, String reason) {
        liftsKnown(s, r);
        long now = ShowChanges.now(s);
        Journal journal = s.core().journal();
        ChangeRequest next = r.applied(person, now);
        JournalRecord change = switch (r.operation()) {
            case ChangeRequest.FLAG_CHANGE, ChangeRequest.FLAG_UNKILL ->
                    new JournalRecord.FlagChanged(journal.nextSeq(), now, flagCommand(s, r, person, reason, now));
            case ChangeRequest.GUARDRAIL_DISARM -> {
                stillArmed(s, r);
                yield new JournalRecord.GuardrailArmed(journal.nextSeq(), now, r.target(), false, person, reason);
            }
            case ChangeRequest.ROLLBACK_CLEAR -> {
                JournalRecord.RollbackAtStep lifted = stillRolledBack(s, r);
                yield new JournalRecord.VariantRollbackCleared(journal.nextSeq(), now, lifted.flag(), lifted.variant(), lifted.pops(),
                        person, reason);
            }
            case ChangeRequest.VARIANT_RESUME -> {
                String[] fv = stillPaused(s, r);
                yield new JournalRecord.VariantPaused(journal.nextSeq(), now, fv[0], fv[1], false, person, reason);
            }
            default -> {
                Extension owner = extensions.get(r.operation());
                if (owner == null) {
                    throw new IllegalStateException("not a change the lanes know: " + r.operation());
                }
                List<JournalRecord> records = new ArrayList<>(owner.applying(s, r, person, reason, journal.nextSeq()));
                records.add(new JournalRecord.RequestChanged(journal.nextSeq() + records.size(), now, next));
                journal.appendAll(records);
                owner.applied(s, records);
                requests.put(next.id(), next);
                yield null;
            }
        };
        if (change == null) {
            return next;
        }
        journal.appendAll(List.of(change, new JournalRecord.RequestChanged(journal.nextSeq() + 1, now, next)));
        if (change instanceof JournalRecord.GuardrailArmed armed) {
            s.core().guardrails().replay(armed);
        } else {
            s.core().experiments().replay(change);
        }
        requests.put(next.id(), next);
        return next;
    }

    /**
     * What an approved request changes when {@code person} applies it, and why, as the audit will say.
     *
     * @param step    a flag command, or a guardrail disarmed
     * @param applied the request as it stands once applied, which the change's control record carries
     */
    public record Applying(JournalRecord.Step step, String reason, ChangeRequest applied) {
    }

    /**
     * In a fleet, where flag changes and guardrail arming are made through the control topic: what an
     * approved flag change, unkill or disarm request changes when {@code person} applies it, checked
     * against the flag or guardrail now; null for a request of another kind, which {@link #apply}
     * applies on this node. Changes nothing; the request is then in flight until {@link #settled}, and the
     * change's control record, carrying {@link Applying#applied}, marks it applied in the same journal write
     * as the change ({@link #marking}).
     *
     * @param node this node's name, which the reason names the request with ({@code request NODE#N}): every node
     *             of the fleet applies and audits the change, and requests are numbered per node
     */
    public Applying applying(Show s, String id, String person, String node) {
        ChangeRequest r = approved(id);
        return inFlight(applying(s, r, person, appliedReason(r, node)));
    }

    private Applying applying(Show s, ChangeRequest r, String person, String reason) {
        liftsKnown(s, r);
        ChangeRequest applied = r.applied(person, ShowChanges.now(s));
        return switch (r.operation()) {
            case ChangeRequest.FLAG_CHANGE, ChangeRequest.FLAG_UNKILL -> new Applying(
                    new JournalRecord.Step(flagCommand(s, r, person, reason, ShowChanges.now(s)), null, null), reason, applied);
            case ChangeRequest.GUARDRAIL_DISARM -> {
                stillArmed(s, r);
                yield new Applying(new JournalRecord.Step(null, new JournalRecord.ArmStep(r.target(), false), null), reason,
                        applied);
            }
            case ChangeRequest.VARIANT_RESUME -> {
                String[] fv = stillPaused(s, r);
                yield new Applying(JournalRecord.Step.pausing(new JournalRecord.PauseStep(fv[0], fv[1], false)), reason, applied);
            }
            case ChangeRequest.ROLLBACK_CLEAR -> new Applying(JournalRecord.Step.clearing(stillRolledBack(s, r)), reason, applied);
            default -> null;
        };
    }

    private Applying inFlight(Applying a) {
        if (a != null) {
            inFlight.add(a.applied().id());
        }
        return a;
    }

    /** The change of request {@code id} went through the fleet, or did not: the request takes decisions again. */
    public void settled(String id) {
        try {
            inFlight.remove(Long.parseLong(id));
        } catch (NumberFormatException notANumber) {
            // no such request, so none in flight
        }
    }

    /**
     * In a fleet: the record that marks {@code applied} applied, numbered {@code seq}, to journal in the same
     * write as the change its control record makes; empty when this node holds no such request or it is
     * applied already. A request edited or withdrawn since its change was written (possible only while a
     * node that stopped after the write catches up on start, or after a write Kafka did not confirm stopped
     * holding the request: {@code ControlApi.UNCONFIRMED_HOLD}) is marked applied all the same: its change was made.
     */
    public List<JournalRecord> marking(Show s, ChangeRequest applied, long seq) {
        ChangeRequest now = requests.get(applied.id());
        if (now == null || now.state() == ChangeRequest.State.APPLIED || !now.requester().equals(applied.requester())
                || !now.operation().equals(applied.operation()) || !now.target().equals(applied.target())) {
            return List.of();
        }
        return List.of(new JournalRecord.RequestChanged(seq, ShowChanges.now(s),
                applied.applied(applied.appliedBy(), ShowChanges.now(s))));
    }

    /** The records of {@link #marking} are durable: the requests are as they say. */
    public void marked(List<JournalRecord> records) {
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.RequestChanged c) {
                requests.put(c.request().id(), c.request());
                inFlight.remove(c.request().id());
            }
        }
    }

    /**
     * What a clear request serves the variant again at now: the PoPs it named (or every one where it was
     * rolled back) where it still is; a 409 when none is left, or when it was rolled back again since the
     * request was opened (it lifts only what was approved).
     */
    private JournalRecord.RollbackAtStep stillRolledBack(Show s, ChangeRequest r) {
        String[] fv = flagAndVariant(r.target());
        List<String> again = r.lifts() == null ? List.of()
                : popRollbacks.since(s, r.target(), r.lifts(), r.ownLifts(), r.openedAtMillis());
        if (!again.isEmpty()) {
            throw new ApiException(409, null, r.target() + " was rolled back again at " + String.join(", ", again)
                    + " since request #" + r.id() + " was opened: open a new request; nothing changed");
        }
        List<String> lifted = lifted(s, r.target(), r.pops());
        if (lifted.isEmpty()) {
            throw new ApiException(409, null, r.target() + " is not rolled back at "
                    + (r.pops() == null || r.pops().isEmpty() ? "any PoP" : String.join(", ", r.pops()))
                    + " any more; request #" + r.id() + " has nothing to apply");
        }
        return new JournalRecord.RollbackAtStep(fv[0], fv[1], lifted);
    }

    /**
     * A request that lifts a safety action must say which one it was opened for: one journaled before
     * requests recorded it cannot tell that pause, rollback or kill from one taken since, so it would
     * lift whatever stands at its apply. Its apply is a 409 asking for a new request; nothing changes.
     */
    private void liftsKnown(Show s, ChangeRequest r) {
        if (r.lifts() == null && lifts(s, r.operation(), r.target()) != null) {
            throw new ApiException(409, null, "request #" + r.id() + " was opened before the node recorded what a request"
                    + " lifts, so it cannot tell the " + switch (r.operation()) {
                        case ChangeRequest.VARIANT_RESUME -> "pause";
                        case ChangeRequest.ROLLBACK_CLEAR -> "rollback";
                        case ChangeRequest.GUARDRAIL_DISARM -> "arming";
                        default -> "kill";
                    } + " it was approved for from one taken since: open a new request; nothing changed");
        }
    }

    /** The flag and variant of a resume request whose variant is still paused; else a 409: nothing to apply. */
    private static String[] stillPaused(Show s, ChangeRequest r) {
        String[] fv = flagAndVariant(r.target());
        if (!ShowChanges.paused(s, fv[0], fv[1])) {
            throw new ApiException(409, null, r.target() + " is not paused any more; request #" + r.id() + " has nothing to apply");
        }
        if (r.lifts() != null && s.core().experiments().pauses(r.target()) != r.lifts()) {
            throw new ApiException(409, null, r.target() + " was resumed and paused again since request #" + r.id()
                    + " was opened: open a new request; nothing changed");
        }
        return fv;
    }

    /**
     * A disarm request's guardrail is still armed, by the arming the request was opened for; else a 409: nothing
     * to apply, or armed again since (an approval to disarm one arming is not one to undo a later one).
     */
    private static void stillArmed(Show s, ChangeRequest r) {
        if (!s.core().guardrails().status(r.target()).armed()) {
            throw new ApiException(409, null, r.target() + " is not armed any more; request #" + r.id() + " has nothing to apply");
        }
        if (r.lifts() != null && s.core().guardrails().armings(r.target()) != r.lifts()) {
            throw new ApiException(409, null, r.target() + " was disarmed and armed again since request #" + r.id()
                    + " was opened: open a new request; nothing changed");
        }
    }

    /** The request {@code id} if it is approved; else a 409 saying why it cannot be applied. */
    private ChangeRequest approved(String id) {
        ChangeRequest r = notInFlight(get(id), "applied");
        if (r.state() != ChangeRequest.State.APPROVED) {
            throw new ApiException(409, null, "request #" + r.id() + " is " + r.state().id()
                    + (r.state() == ChangeRequest.State.PENDING ? ": it needs another person's approval first" : "")
                    + "; nothing changed");
        }
        return r;
    }

    private static String appliedReason(ChangeRequest r, String node) {
        return r.reason() + " (request " + named(r, node) + " by " + r.requester() + ", approved by " + r.decidedBy() + ")";
    }

    /** The flag command of an approved flag change or unkill, checked against the flag now. */
    private static FlagCommand flagCommand(Show s, ChangeRequest r, String person, String reason, long now) {
        if (r.operation().equals(ChangeRequest.FLAG_CHANGE)) {
            FlagCommand c = ShowChanges.command(s, r.target(), r.change(), person, reason);
            s.core().experiments().registry().check(c);
            return c;
        }
        if (!ShowChanges.flag(s, r.target()).killed()) {
            throw new ApiException(409, null, r.target() + " is not killed any more; request #" + r.id() + " has nothing to apply");
        }
        long killed = killedAt(s, r.target());
        if (r.lifts() != null && killed != r.lifts()) {
            throw new ApiException(409, null, r.target() + " was unkilled and killed again (version " + killed + ") since request #"
                    + r.id() + " was opened: open a new request; nothing changed");
        }
        return new FlagCommand.Unkill(r.target(), person, reason, now);
    }

    /** The request {@code id}, if it is still open; else a 409 saying it cannot be {@code verb}. */
    private ChangeRequest open(String id, String verb) {
        ChangeRequest r = notInFlight(get(id), verb);
        if (!r.state().open()) {
            throw new ApiException(409, null, "request #" + r.id() + " is " + r.state().id() + " and cannot be " + verb + "; nothing changed");
        }
        return r;
    }

    /** {@code r}, unless its change is on its way through the fleet: then a 409 saying it cannot be {@code verb} now. */
    private ChangeRequest notInFlight(ChangeRequest r, String verb) {
        if (inFlight.contains(r.id())) {
            throw new ApiException(409, null, "request #" + r.id() + " is being applied through the fleet and cannot be " + verb
                    + " now; read it again in a moment");
        }
        return r;
    }

    /** The request as it now stands and the event's audit entry, in one journal write; then both in memory. */
    private void record(Show s, ChangeRequest next, String actor, String action, String before, String after, String reason) {
        record(s, next, actor, action, before, after, reason, List.of());
    }

    private void record(Show s, ChangeRequest next, String actor, String action, String before, String after, String reason,
                        List<JournalRecord> with) {
        long now = ShowChanges.now(s);
        Journal journal = s.core().journal();
        List<JournalRecord> records = new ArrayList<>(List.of(
                new JournalRecord.Audited(journal.nextSeq(), now, actor, action, next.target(), before, after, reason),
                new JournalRecord.RequestChanged(journal.nextSeq() + 1, now, next)));
        records.addAll(with);
        journal.appendAll(records);
        s.core().experiments().addAudit(now, actor, action, next.target(), before, after, reason);
        requests.put(next.id(), next);
    }
}
