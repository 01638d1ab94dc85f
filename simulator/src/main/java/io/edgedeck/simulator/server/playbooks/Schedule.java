package io.edgedeck.simulator.server.playbooks;

import io.edgedeck.simulator.server.http.PeerValues;

import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.simulator.fleet.ControlRecord;
import io.edgedeck.simulator.server.Secrets;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowActions;
import io.edgedeck.simulator.show.ShowChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A node's scheduled changes: a playbook or one change that waits for a named cue to be fired or for
 * a wall-clock time. Made and cancelled in one journal write each with their audit entry; fired in
 * one journal write with the change they make and the entry that lists it, so a node restarted
 * from its data directory has every change still pending and fires each exactly once.
 *
 * <p>On a fleet node a firing that changes anything goes through the fleet's control topic
 * ({@link FleetControl#changeSoon}) as one record every node applies; this node journals the change
 * marked fired in the same write as the record. The record's id is derived from the change (when it
 * fires, what it runs) and the states and versions it sets, so the same scheduled change made on
 * several nodes is written once: the first node writes it, a node that fires it from the same
 * versions finds its id on the topic and writes nothing, and a node that already applied it has
 * nothing to change. A firing the fleet did not take stays pending and is tried again after a pause that
 * doubles from {@value #FIRST_RETRY_MILLIS} ms to {@value #LAST_RETRY_MILLIS} ms: one on a time until it
 * is made, one a cue fired for the node's cue window ({@link FleetControl#cueWindow}) from the cue, after which
 * it fails, saying why (the cue's moment has passed; the cue's answer names it not applied). Unless a try's record
 * may be on the topic (Kafka did not confirm it, or this node had not applied it in time): that change is never
 * failed, since it may apply on every node; it stays pending, tried no more, and is marked fired in the same
 * journal write as its record when this node applies it (the cue's answer names it not confirmed yet).
 *
 * <p>Every method but the constructor and {@link #settled} runs on the engine thread.
 */
public final class Schedule {
    private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);
    /** How long a change that is due waits before the journal, which refused its firing, is tried again. */
    static final long JOURNAL_RETRY_MILLIS = 1_000;
    /** Who the audit names for a change the schedule fires. */
    public static final String ACTOR = "schedule";
    /**
     * How far ahead a change may be scheduled for a time: a week, more than a show (or a festival's
     * run of them) on one node needs, and short enough that a mistyped year or month is refused
     * rather than left pending where no one looks.
     */
    public static final java.time.Duration HORIZON = java.time.Duration.ofDays(7);
    /** The pause before a firing the fleet did not take is tried again; it doubles with each try, up to the last. */
    static final long FIRST_RETRY_MILLIS = 250;
    static final long LAST_RETRY_MILLIS = 2_000;

    private final Map<Long, ScheduledChange> changes = new LinkedHashMap<>();
    private final Playbooks playbooks;
    private final LongSupplier wallClock;
    private final FleetControl fleet;
    /** Firings being written to the fleet, by change id; touched by the fleet's writes thread too. */
    private final Map<Long, CompletableFuture<FleetControl.Outcome>> inFlight = new ConcurrentHashMap<>();
    /**
     * Changes firing through the fleet until they are made (or their cue's window ends, failed; or, when a try may have
     * landed, until it applies), by change id.
     */
    private final Map<Long, Trying> trying = new ConcurrentHashMap<>();
    /** When each change left pending, tried no more, because a try's record may be on the control topic was given up (wall ms). */
    private final Map<Long, Long> unconfirmedAt = new ConcurrentHashMap<>();
    /** Per change a cue fired through the fleet: completes once it is made or has failed, for the cue's answer. */
    private final Map<Long, CompletableFuture<Void>> settling = new ConcurrentHashMap<>();
    /** Per cue fired from the control topic, the version fired and its changes not (yet) applied here. */
    private final Map<String, TopicCue> topicCues = new ConcurrentHashMap<>();
    /**
     * Changes this node's own control record fired, applied before this start, yet journaled pending still (by an earlier
     * version, which did not mark them with a record applied on start), with the record's outcome: marked fired between
     * the first ticks. Engine thread after the constructor.
     */
    private final Map<Long, String> appliedNotMarked = new LinkedHashMap<>();
    /**
     * Per pending change, the ids of the control records of the show cues that fired it on this node (read from the control
     * topic, from the journal on start), in the order they did: another node's copy of the same change naming one of them
     * ({@link ControlRecord#cueFiring}) is its firing. Engine thread after the constructor.
     */
    private final Map<Long, List<String>> cueRecords = new HashMap<>();
    /**
     * Per pending change, the control record of the show cue whose firing started its latest try here: its copy names it
     * ({@link ControlRecord#cueFiring}). None for a try a cue fired on this node alone started (no other node fired its
     * change with that); a producer's retry keeps the try's. Engine thread after the constructor.
     */
    private final Map<Long, String> tryCueRecord = new HashMap<>();
    /** On a node in no fleet: the change whose firing the journal refused, while it waits; null when none waits. */
    private Long waiting;
    /** When the journal is tried again for it, wall-clock ms. */
    private long journalRetryAt;
    private long lastId;

    /**
     * @param journal   the node's journal as read on start: the scheduled changes come back from it
     * @param wallClock epoch ms now
     * @param fleet     the node's part of the fleet's control topic, or null for a node in no fleet
     */
    public Schedule(Playbooks playbooks, List<JournalRecord> journal, LongSupplier wallClock, FleetControl fleet) {
        this.playbooks = playbooks;
        this.wallClock = wallClock;
        this.fleet = fleet;
        if (fleet != null) {
            // A cue fired for the whole fleet reaches this node on the control topic, and fires here.
            fleet.cuesIn(new FleetControl.Cues() {
                @Override
                public FleetControl.Cue fire(Show s, String name, long version, String recordId, String actor, String reason,
                                             long seq) {
                    return cueFiring(s, name, version, recordId, actor, reason, seq);
                }

                @Override
                public Map<String, io.edgedeck.simulator.fleet.NodeFrame.CueNotApplied> notApplied() {
                    return Schedule.this.notApplied();
                }

                @Override
                public List<JournalRecord> firedBy(Show s, ControlRecord record, long seq) {
                    return Schedule.this.firedBy(s, record, seq);
                }

                @Override
                public void firedJournaled(Show s, ControlRecord record, List<JournalRecord> records) {
                    applied(s, records);
                    // Said once the mark is durable: a refused write says nothing, and the record is applied again later.
                    String whose = fleet.node().equals(record.issuer()) ? "its control record, written before this node was started again"
                            : record.issuer() + "'s copy of its control record, fired by the same cue record";
                    records.forEach(r -> LOG.warn("Scheduled change #{} fired: {}, applied", ((JournalRecord.ScheduleChanged) r)
                            .change().id(), whose));
                }
            });
        }
        // Changes still pending whose cue was fired before this node was started, with when it was fired (the show.cue
        // entry's time): each went through the fleet and was not settled then.
        Map<Long, Long> cueFiredBeforeStart = new HashMap<>(); // null: fired before the node kept the wall clock's time
        // The cues of the control record just applied: their show.cue entries follow in the same write.
        Map<String, String> cueRecordOf = new HashMap<>();
        for (JournalRecord r : journal) {
            if (r instanceof JournalRecord.ControlApplied a && fleet != null) {
                // A show cue read on the control topic fires, in the write of its record's apply, every change pending on it.
                cueRecordOf.clear();
                a.versions().keySet().stream().filter(k -> k.startsWith(FleetControl.CUE)).map(k -> k.substring(FleetControl.CUE.length()))
                        .forEach(cue -> {
                            cueRecordOf.put(cue, a.id());
                            changes.values().stream().filter(c -> c.state() == ScheduledChange.State.PENDING && cue.equals(c.cue()))
                                    .forEach(c -> firedByCueRecord(c.id(), a.id()));
                        });
            }
            if (r instanceof JournalRecord.Audited a && a.action().equals("show.cue") && fleet != null) {
                // Its try, as the cue fired it: through that cue record, or on this node alone (no record named).
                String cueRecord = cueRecordOf.remove(a.target());
                changes.values().stream().filter(c -> c.state() == ScheduledChange.State.PENDING && a.target().equals(c.cue()))
                        .forEach(c -> {
                            if (cueRecord == null) {
                                tryCueRecord.remove(c.id());
                            } else {
                                tryCueRecord.put(c.id(), cueRecord);
                            }
                        });
            }
            if (r instanceof JournalRecord.ScheduleChanged c) {
                changes.put(c.change().id(), c.change());
                lastId = Math.max(lastId, c.change().id());
                if (c.change().state() != ScheduledChange.State.PENDING) {
                    cueFiredBeforeStart.remove(c.change().id());
                }
            } else if (r instanceof JournalRecord.Audited a && a.action().equals("show.cue")) {
                changes.values().stream().filter(c -> c.state() == ScheduledChange.State.PENDING && a.target().equals(c.cue()))
                        .forEach(c -> cueFiredBeforeStart.put(c.id(), a.wallMillis()));
            } else if (r instanceof JournalRecord.ControlApplied a && fleet != null && fleet.node().equals(a.issuer())) {
                // This node's record firing a change whose cue was fired before it, applied, yet the change left pending (a
                // journal from a version that did not mark it fired with a record applied on start): it fired.
                changes.values().stream().filter(c -> cueFiredBeforeStart.containsKey(c.id()) && firedBy(c, a))
                        .forEach(c -> {
                            cueFiredBeforeStart.remove(c.id());
                            appliedNotMarked.put(c.id(), a.after());
                        });
            }
        }
        if (fleet != null) {
            // Fired, through the fleet, before the node stopped, and not settled then: its record may be on the control topic
            // (it applies, and marks the change fired, when the node reads it), or may never have been written. As one left
            // unconfirmed at the end of its window: not confirmed since its cue was fired, tried no more until a producer
            // retries it or the cue is fired again.
            long started = wallClock.getAsLong();
            cueFiredBeforeStart.forEach((id, firedAt) -> {
                String cue = changes.get(id).cue();
                // A cue journaled without its wall-clock time (by an earlier version, which did not keep it): since this
                // start, said so. The time itself is in sinceEpochMillis, which a reader shows in its own clock's form.
                long at = firedAt == null ? started : firedAt;
                String last = "cue " + cue + " was fired" + (firedAt == null ? " before the node was started again, at a time its"
                        + " journal (from an earlier version) does not hold, so the time given is that start;" : ", and") + " the node"
                        + " was started again before its control record was confirmed; it does not remember whether the record"
                        + " landed (one that landed marks it fired here when this node wrote it, or when another node's copy"
                        + " of the same change, setting what it sets here, was fired by the same cue record on the control"
                        + " topic: a copy fired by a cue fired on that node"
                        + " alone, or one written by an earlier version, leaves it listed though it fired)";
                trying.put(id, new Trying("cue " + cue + " fired before the node was started again", "cue " + cue, at, 0,
                        Long.MAX_VALUE, last, true, true));
                unconfirmedAt.put(id, at);
            });
        }
    }

    public List<ScheduledChange> all() {
        return List.copyOf(changes.values());
    }

    /** The scheduled change numbered {@code id}, or a 404 naming it. */
    public ScheduledChange get(String id) {
        ScheduledChange c = null;
        try {
            c = changes.get(Long.parseLong(id));
        } catch (NumberFormatException notANumber) {
            // not an id, so no such change
        }
        if (c == null) {
            throw new ApiException(404, "id", "no scheduled change " + id);
        }
        return c;
    }

    /**
     * Schedules {@code c} as {@code actor}. A playbook must be ready; one change is checked against
     * the show as it would be made now, and must not be one the approval lanes hold back (a risky
     * change is scheduled as a playbook, which is approved once, when it is made). Two changes
     * waiting for the same cue change different flags and guardrails, so they fire as one.
     */
    public ScheduledChange create(Show s, NewScheduledChange c, String actor) {
        if ((c.cue() == null) == (c.at() == null)) {
            throw ApiException.invalid("cue", "give exactly one of cue (a named cue) and at (a wall-clock time)");
        }
        if (c.cue() != null && !Playbooks.ID.matcher(c.cue()).matches()) {
            throw ApiException.invalid("cue", "must be a lowercase name: letters, digits and '-', at most 32 characters, was "
                    + PeerValues.quoted(c.cue(), '\''));
        }
        // The instant in UTC, as it is kept, listed, audited and journaled: the same time given with another offset
        // is the same text, so nodes of a fleet given it derive the same record id for its firing.
        String when = null;
        if (c.at() != null) {
            long at;
            try {
                Instant instant = Instant.parse(c.at());
                at = instant.toEpochMilli();
                when = instant.toString();
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("at", "must be an ISO-8601 instant such as 2026-12-02T21:00:00Z, was " + PeerValues.quoted(c.at(), '\''));
            } catch (ArithmeticException e) {
                throw ApiException.invalid("at", "is beyond the node's clock, which counts epoch milliseconds: was "
                        + PeerValues.quoted(c.at(), '\''));
            }
            long now = wallClock.getAsLong();
            if (at <= now) {
                throw ApiException.invalid("at", c.at() + " has passed; the node's clock reads " + Instant.ofEpochMilli(now));
            }
            if (at - now > HORIZON.toMillis()) {
                throw ApiException.invalid("at", c.at() + " is more than " + HORIZON.toDays() + " days ahead (the node's clock reads "
                        + Instant.ofEpochMilli(now) + "): a change is scheduled for this show; check the date, or schedule it nearer the time");
            }
        }
        if ((c.playbook() == null) == (c.action() == null)) {
            throw ApiException.invalid("playbook", "give exactly one of playbook (a playbook's id) and action (one change)");
        }
        if (c.reason() == null || c.reason().isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        List<PlaybookAction> actions;
        if (c.playbook() != null) {
            actions = playbooks.ready(c.playbook(), "playbook").actions();
        } else {
            ShowActions.validate(c.action(), "action");
            ShowActions.make(s, c.action(), "action", actor, c.reason());
            actions = List.of(c.action());
            Playbook probe = new Playbook("action", "", actions, null, Playbook.State.READY, actor, null, c.reason());
            List<String> risks = playbooks.risks(s, probe);
            if (!risks.isEmpty()) {
                throw new ApiException(409, "action", "the approval lanes hold this change back (" + String.join("; ", risks)
                        + "): make it a playbook, which is approved once, and schedule the playbook");
            }
        }
        if (c.cue() != null) {
            Set<String> mine = targets(actions);
            for (ScheduledChange other : changes.values()) {
                if (other.state() == ScheduledChange.State.PENDING && c.cue().equals(other.cue())
                        && targets(actionsOf(other)).stream().anyMatch(mine::contains)) {
                    throw new ApiException(409, "cue", "scheduled change #" + other.id() + " on cue " + c.cue() + " already changes "
                            + String.join(", ", targets(actionsOf(other)).stream().filter(mine::contains).toList())
                            + "; put both in one playbook");
                }
            }
        }
        ScheduledChange made = new ScheduledChange(lastId + 1, ScheduledChange.State.PENDING, c.cue(), when, c.playbook(), c.action(),
                c.reason(), actor, wallClock.getAsLong(), null, null, null, null);
        record(s, made, actor, "schedule.create", "", "#" + made.id() + " " + made.describe() + " at " + made.when(), c.reason());
        lastId = made.id();
        return made;
    }

    /**
     * A pending change this node tries no more because a try's control record may be on the topic and Kafka never
     * confirmed it: since when (wall-clock ms) and the last try's failure; null for any other change. After a restart, one
     * whose cue was fired before it, still pending, is so since its cue was fired. Engine thread, as every read of the changes is: an HTTP thread reads it
     * through the engine, with the change it describes.
     */
    public Unconfirmed unconfirmed(long id) {
        Trying t = trying.get(id);
        Long at = unconfirmedAt.get(id);
        ScheduledChange c = changes.get(id);
        return t != null && t.unresolved() && at != null && c != null && c.state() == ScheduledChange.State.PENDING
                ? new Unconfirmed(at, t.last()) : null;
    }

    /** A change's record not confirmed: since when it is tried no more (wall-clock ms), and the last try's failure. */
    public record Unconfirmed(long sinceEpochMillis, String last) {
    }

    /**
     * Tries again, as {@code actor}, a change left pending because a try's record may be on the control topic and was
     * never confirmed ({@link #unconfirmed}): audited {@code schedule.retry}, then tried for the node's cue window from now,
     * as a cue's change is. A try lands once while the versions it sets are those it was made from (its record's id is
     * derived from the change and those versions), so an earlier try's record that did land is found on the topic and not
     * written again; one that landed applies here in its turn on the topic and marks the change fired, so a change whose
     * flag moved on since is made again from the flag as it is (or fails, saying so, when it no longer applies). When this
     * window ends with no try confirmed either, it stays pending, not confirmed, as before.
     * Engine thread.
     */
    public ScheduledChange retry(Show s, String id, String actor, String reason) {
        ScheduledChange c = get(id);
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        Unconfirmed u = fleet == null ? null : unconfirmed(c.id());
        if (u == null || inFlight.containsKey(c.id())) {
            throw new ApiException(409, null, notRetried(c));
        }
        String since = Instant.ofEpochMilli(u.sinceEpochMillis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        record(s, c, actor, "schedule.retry", "#" + c.id() + " pending: its control record not confirmed since " + since,
                "#" + c.id() + " tried again for " + io.edgedeck.simulator.server.control.EngineCommands.seconds(fleet.cueWindow()), reason);
        Trying t = trying.get(c.id());
        unconfirmedAt.remove(c.id());
        trying.put(c.id(), new Trying(t.why(), "its retry by " + actor, wallClock.getAsLong() + fleet.cueWindow().toMillis(), 0, 0,
                t.last(), t.mayApply(), false));
        note(c.id(), Unapplied.State.TRYING, of(c) + ": tried again by " + actor);
        LOG.warn("Scheduled change #{} tried again by {}: its control record was not confirmed since {}", c.id(), actor, since);
        throughFleet(c);
        return c;
    }

    /** Why change {@code c}, not waiting on a control record Kafka did not confirm, is not retried: what it is doing. */
    private String notRetried(ScheduledChange c) {
        String of = "scheduled change #" + c.id();
        if (c.state() != ScheduledChange.State.PENDING) {
            return of + " is " + c.state().id() + " and cannot be retried; nothing changed";
        }
        Trying t = fleet == null ? null : trying.get(c.id());
        if (t != null) {
            String until = t.untilMillis() == Long.MAX_VALUE ? "" : " until " + Instant.ofEpochMilli(t.untilMillis())
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            return of + " is being written to the fleet already, for " + t.since() + until + "; nothing changed";
        }
        return of + " is pending " + (c.cue() != null ? "on cue " + c.cue() : "for " + c.at())
                + ", not waiting on a control record Kafka did not confirm, and cannot be retried; nothing changed";
    }

    /** Cancels a pending change as {@code actor}. */
    public ScheduledChange cancel(Show s, String id, String actor, String reason) {
        ScheduledChange c = get(id);
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        if (c.state() != ScheduledChange.State.PENDING) {
            throw new ApiException(409, null, "scheduled change #" + c.id() + " is " + c.state().id() + " and cannot be cancelled; nothing changed");
        }
        ScheduledChange next = c.ended(ScheduledChange.State.CANCELLED, actor, wallClock.getAsLong(), "cancelled: " + reason);
        record(s, next, actor, "schedule.cancel", "#" + c.id() + " pending: " + c.describe() + " at " + c.when(),
                "#" + c.id() + " cancelled", reason);
        return next;
    }

    private void record(Show s, ScheduledChange next, String actor, String action, String before, String after, String reason) {
        long now = ShowChanges.now(s);
        Journal journal = s.core().journal();
        journal.appendAll(List.of(
                new JournalRecord.Audited(journal.nextSeq(), now, actor, action, target(next), before, after, reason),
                new JournalRecord.ScheduleChanged(journal.nextSeq() + 1, now, next)));
        s.core().experiments().addAudit(now, actor, action, target(next), before, after, reason);
        changes.put(next.id(), next);
    }

    /**
     * Fires the named cue as {@code actor}: audited as {@code show.cue}, and every change pending on
     * it fires, all in one journal write. A change that cannot apply any more (its flag moved on)
     * fails, audited with the reason, and the others still fire.
     */
    public CueFired fireCue(Show s, String name, String actor, String reason) {
        if (!Playbooks.ID.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be a lowercase name: letters, digits and '-', at most 32 characters, was "
                    + PeerValues.quoted(name, '\''));
        }
        Journal journal = s.core().journal();
        CueFiring firing = cueFiring(s, name, 0, null, actor, reason, journal.nextSeq());
        journal.appendAll(firing.records());
        return firing.done(s);
    }

    /**
     * The cue {@code name} fired as {@code actor}, its records numbered from {@code firstSeq}: the {@code show.cue} entry
     * and the firing of every change pending on it (those going through the fleet follow once the records are durable,
     * {@link CueFiring#done}). {@code topicVersion} and {@code topicRecord}: the version and id of the cue's record on the
     * control topic, 0 and null for a cue fired on this node. Engine thread.
     */
    CueFiring cueFiring(Show s, String name, long topicVersion, String topicRecord, String actor, String reason, long firstSeq) {
        long now = ShowChanges.now(s);
        List<ScheduledChange> due = changes.values().stream()
                .filter(c -> c.state() == ScheduledChange.State.PENDING && name.equals(c.cue())).toList();
        List<JournalRecord> records = new ArrayList<>();
        // On a fleet node, with the wall clock's time: a node started again says since when a change it fired is not confirmed.
        records.add(new JournalRecord.Audited(firstSeq, now, actor, "show.cue", name, "",
                "named cue: " + due.size() + " scheduled change" + (due.size() == 1 ? "" : "s"), reason == null ? "" : reason,
                fleet == null ? null : wallClock.getAsLong(), null));
        List<ScheduledChange> fired = new ArrayList<>();
        List<ScheduledChange> viaFleet = new ArrayList<>();
        String why = "cue " + name + " fired by " + actor;
        for (ScheduledChange c : due) {
            List<JournalRecord> firing = firing(s, c, firstSeq + records.size(), why);
            if (fleet != null && firing.getFirst() instanceof JournalRecord.ActionsApplied) {
                // Through the fleet once the cue is journaled: listed pending until this node applied it.
                fired.add(c);
                viaFleet.add(c);
                continue;
            }
            records.addAll(firing);
            fired.add(((JournalRecord.ScheduleChanged) firing.getLast()).change());
        }
        return new CueFiring(name, topicVersion, topicRecord, List.copyOf(records), fired, viaFleet, why);
    }

    /** A cue's firing: its records, to journal in one write, then {@link #done} once they are durable. */
    final class CueFiring implements FleetControl.Cue {
        private final String name;
        private final long topicVersion;
        private final String topicRecord;
        private final List<JournalRecord> records;
        private final List<ScheduledChange> fired;
        private final List<ScheduledChange> viaFleet;
        private final String why;

        private CueFiring(String name, long topicVersion, String topicRecord, List<JournalRecord> records,
                          List<ScheduledChange> fired, List<ScheduledChange> viaFleet, String why) {
            this.name = name;
            this.topicVersion = topicVersion;
            this.topicRecord = topicRecord;
            this.records = records;
            this.fired = fired;
            this.viaFleet = viaFleet;
            this.why = why;
        }

        @Override
        public List<JournalRecord> records() {
            return records;
        }

        @Override
        public void journaled(Show s) {
            done(s);
        }

        /**
         * Takes the journaled records into the show and sends the changes that go through the fleet, each tried until it is
         * made or the node's cue window from now ends. Engine thread.
         */
        CueFired done(Show s) {
            applied(s, records);
            long until = viaFleet.isEmpty() ? 0 : wallClock.getAsLong() + fleet.cueWindow().toMillis();
            if (topicVersion > 0) {
                // Before the cue's version is known to have been fired (the frame reads that first): what it left unapplied.
                Map<Long, Unapplied> open = new ConcurrentHashMap<>();
                viaFleet.forEach(c -> open.put(c.id(), new Unapplied(Unapplied.State.TRYING, of(c) + ": its control record is being written")));
                for (ScheduledChange c : fired) {
                    ScheduledChange now = changes.get(c.id());
                    if (now != null && now.state() == ScheduledChange.State.FAILED) {
                        open.put(c.id(), new Unapplied(Unapplied.State.FAILED, of(c) + ": " + now.outcome()));
                    }
                }
                topicCues.put(name, new TopicCue(topicVersion, open));
            }
            if (topicRecord != null) {
                viaFleet.forEach(c -> firedByCueRecord(c.id(), topicRecord));
            }
            for (ScheduledChange c : viaFleet) {
                long id = c.id();
                Trying t = trying.get(id);
                if (inFlight.containsKey(id) || t != null && !t.unresolved()) {
                    // Being tried already (a producer's retry, or this cue fired before): one try of a change at a time, so
                    // this cue adds none; its answer waits for that one's end.
                    settling.computeIfAbsent(id, k -> new CompletableFuture<>());
                    LOG.info("Scheduled change #{} is being tried already ({}): cue {} fired again adds no try", id,
                            t == null ? "a try in flight" : t.since(), name);
                    continue;
                }
                settling.put(id, new CompletableFuture<>());
                // This try's firing: the cue record its copy names, or none for a cue fired on this node alone.
                if (topicRecord == null) {
                    tryCueRecord.remove(id);
                } else {
                    tryCueRecord.put(id, topicRecord);
                }
                // One tried no more because an earlier try's record may be on the topic stays so until a try shows it is not.
                unconfirmedAt.remove(id);
                trying.put(id, new Trying(why, "cue " + name, until, 0, 0, t == null ? null : t.last(), t != null && t.mayApply(), false));
                throughFleet(c);
            }
            return new CueFired(name, fired);
        }
    }

    /**
     * Completes once every change of {@code cue} that went through the fleet was written and applied here,
     * or failed, or was left not confirmed (tried for the node's cue window). Any thread.
     */
    public CompletableFuture<Void> settled(CueFired cue) {
        return CompletableFuture.allOf(cue.fired().stream().map(c -> settling.getOrDefault(c.id(), CompletableFuture.completedFuture(null)))
                .toArray(CompletableFuture[]::new));
    }

    /** Between ticks: fires every change whose time has come, each in its own journal write. */
    public void fireDue(Show s) {
        long wall = wallClock.getAsLong();
        if (fleet != null) {
            fleetDue(s, wall);
            return;
        }
        for (ScheduledChange c : List.copyOf(changes.values())) {
            if (c.state() != ScheduledChange.State.PENDING || c.at() == null || Instant.parse(c.at()).toEpochMilli() > wall) {
                continue;
            }
            if (waiting != null && wall < journalRetryAt) {
                return;
            }
            try {
                List<JournalRecord> records = firing(s, c, s.core().journal().nextSeq(), "its time " + c.at() + " came");
                s.core().journal().appendAll(records);
                applied(s, records);
            } catch (JournalUnavailableException e) {
                // said once, not on every tick; the journal is tried again each second, not each tick
                if (!Long.valueOf(c.id()).equals(waiting)) {
                    LOG.warn("Scheduled change #{} waits for the journal to take writes again, tried each second: {}", c.id(),
                            e.getMessage());
                }
                waiting = c.id();
                journalRetryAt = wall + JOURNAL_RETRY_MILLIS;
                return;
            }
            if (Long.valueOf(c.id()).equals(waiting)) {
                LOG.warn("Scheduled change #{} fired once the journal took writes again, {} s after its time {}", c.id(),
                        (wall - Instant.parse(c.at()).toEpochMilli()) / 1000, c.at());
                waiting = null;
            }
        }
    }

    /**
     * On a fleet node, between ticks: fires every change whose time has come through the fleet, tries again each
     * firing the fleet did not take once its pause is over, and fails a cue's change whose window ended untaken.
     */
    private void fleetDue(Show s, long wall) {
        markAppliedBeforeStart(s);
        for (ScheduledChange c : List.copyOf(changes.values())) {
            long id = c.id();
            if (inFlight.containsKey(id)) {
                continue;
            }
            Trying t = trying.get(id);
            if (c.state() != ScheduledChange.State.PENDING) {
                if (t != null) {
                    trying.remove(id);
                    unconfirmedAt.remove(id);
                    if (c.state() == ScheduledChange.State.FIRED) {
                        // A try's record this node gave up waiting for landed after all: applied, and marked fired with it.
                        LOG.warn("Scheduled change #{} fired: its control record, not confirmed before, applied", id);
                        topicCues.values().forEach(cue -> cue.changes().remove(id));
                    } else {
                        // Cancelled while it waited to be tried again.
                        note(id, Unapplied.State.FAILED, of(c) + ": " + c.outcome());
                    }
                    settle(id);
                }
                continue;
            }
            if (t != null && t.unresolved()) {
                continue; // Tried no more: marked fired if its record applies.
            }
            if (t == null) {
                if (c.at() != null && Instant.parse(c.at()).toEpochMilli() <= wall) {
                    trying.put(id, new Trying("its time " + c.at() + " came", "its time", Long.MAX_VALUE, 0, 0, null, false, false));
                    throughFleet(c);
                }
            } else if (t.tries() > 0 && wall >= t.untilMillis()) {
                giveUp(s, c, t);
            } else if (t.tries() > 0 && wall >= t.retryAtMillis()) {
                throughFleet(c);
            }
        }
    }

    /**
     * Fires {@code c} through the fleet, off the engine thread: made again from the show as it is when
     * the fleet's writer takes it (and again after it lost to another node's change). A firing with
     * nothing to change, or one that fails, is journaled here alone, as on a node in no fleet. One the
     * fleet did not take waits for its next try ({@link #fleetDue}).
     */
    private void throughFleet(ScheduledChange c) {
        long id = c.id();
        String why = trying.get(id).why();
        CompletableFuture<FleetControl.Outcome> done = new CompletableFuture<>();
        inFlight.put(id, done);
        fleet.changeSoon(s -> fleetProposal(s, id, why)).whenComplete((outcome, error) -> {
            if (error != null || !outcome.made()) {
                notTaken(c, error != null ? error.toString() : outcome.detail(), error == null && outcome.mayApply(),
                        error == null && outcome.earlierNotThere());
            } else {
                trying.remove(id);
                // Made: applied here, or answered without a write (a failure journaled here stays noted).
                topicCues.values().forEach(cue -> cue.changes().computeIfPresent(id, (k, u) -> u.trying() ? null : u));
                settle(id);
            }
            inFlight.remove(id, done);
            done.complete(outcome);
        });
    }

    /**
     * A try the fleet did not take: said, counted by the fleet, and tried again after a pause. Once a try may have landed
     * the change may apply, until a later try's writer ended every transaction left open and read the topic to its end
     * without finding it ({@code earlierNotThere}): a later try that fails before that does not say the earlier record
     * is not there. Fleet's writes thread.
     */
    private void notTaken(ScheduledChange c, String detail, boolean mayApply, boolean earlierNotThere) {
        Trying t = trying.get(c.id());
        long now = wallClock.getAsLong();
        int tries = t.tries() + 1;
        long pause = Math.min(LAST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(tries - 1, 8));
        Trying next = new Trying(t.why(), t.since(), t.untilMillis(), tries, now + pause, detail,
                mayApply || t.mayApply() && !earlierNotThere, false);
        trying.put(c.id(), next);
        boolean last = next.retryAtMillis() >= next.untilMillis();
        String until = next.untilMillis() == Long.MAX_VALUE ? "" : " until " + Instant.ofEpochMilli(next.untilMillis())
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        LOG.warn("Scheduled change #{} did not fire through the fleet (try {}): {}; {}", c.id(), tries, detail,
                last ? next.mayApply() ? "its cue's window ends before the next try: it is tried no more, and marked fired if its"
                        + " record applies" : "its cue's window ends before the next try: it fails then"
                        : "it stays pending, tried again in " + pause
                        + " ms" + until);
        note(c.id(), Unapplied.State.TRYING, of(c) + ": try " + tries + " failed (" + detail + "); it is tried again" + (until.isEmpty()
                ? " until it is made" : until));
    }

    /**
     * A cue's change the fleet did not take within the node's cue window: failed, audited as {@code schedule.fail} with
     * why, and named unapplied in the node's frame; or, when a try's record may be on the topic, left pending and tried no
     * more, named not confirmed, and marked fired if its record applies. Engine thread.
     */
    private void giveUp(Show s, ScheduledChange c, Trying t) {
        String tries = t.tries() + (t.tries() == 1 ? " try" : " tries");
        String window = io.edgedeck.simulator.server.control.EngineCommands.seconds(fleet.cueWindow());
        if (t.mayApply()) {
            trying.put(c.id(), new Trying(t.why(), t.since(), t.untilMillis(), t.tries(), Long.MAX_VALUE, t.last(), true, true));
            unconfirmedAt.put(c.id(), wallClock.getAsLong());
            String unconfirmed = "its control record was not confirmed within " + window + " of " + t.since() + " (" + tries
                    + "; the last: " + t.last() + "): it may apply on every node, and is marked fired here when it does";
            LOG.warn("Scheduled change #{} stays pending, tried no more: {}", c.id(), unconfirmed);
            note(c.id(), Unapplied.State.UNCONFIRMED, of(c) + ": " + unconfirmed);
            settle(c.id());
            return;
        }
        String what = "failed: its control record could not be written to the fleet within " + window + " of " + t.since()
                + " (" + tries + "; the last: " + t.last() + "); nothing changed";
        List<JournalRecord> records = failure(s, c, s.core().journal().nextSeq(), t.why(), what);
        try {
            s.core().journal().appendAll(records);
        } catch (JournalUnavailableException e) {
            LOG.warn("Scheduled change #{} could not be marked failed, tried again next tick: {}", c.id(), e.getMessage());
            return;
        }
        applied(s, records);
        trying.remove(c.id());
        LOG.warn("Scheduled change #{} {}", c.id(), what);
        note(c.id(), Unapplied.State.FAILED, of(c) + ": " + what.substring("failed: ".length()));
        settle(c.id());
    }

    /** Notes why change {@code id} of a cue fired from the control topic is not applied, while it is not. Any thread. */
    private void note(long id, Unapplied.State state, String why) {
        topicCues.values().forEach(cue -> cue.changes().computeIfPresent(id, (k, u) -> new Unapplied(state, why)));
    }

    private void settle(long id) {
        CompletableFuture<Void> waiting = settling.remove(id);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** Per cue fired from the control topic whose changes have not all applied here: the version fired and why. Any thread. */
    Map<String, io.edgedeck.simulator.fleet.NodeFrame.CueNotApplied> notApplied() {
        Map<String, io.edgedeck.simulator.fleet.NodeFrame.CueNotApplied> out = new java.util.TreeMap<>();
        topicCues.forEach((name, cue) -> {
            List<Unapplied> open = cue.changes().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                    .toList();
            if (!open.isEmpty()) {
                out.put(name, new io.edgedeck.simulator.fleet.NodeFrame.CueNotApplied(cue.version(),
                        open.stream().anyMatch(Unapplied::trying), String.join("; ", open.stream().map(Unapplied::why).toList()),
                        open.stream().anyMatch(u -> u.state() == Unapplied.State.UNCONFIRMED)));
            }
        });
        return out;
    }

    /** "scheduled change #2 (kill offer-banner)". */
    private static String of(ScheduledChange c) {
        return "scheduled change #" + c.id() + " (" + c.describe() + ")";
    }

    /**
     * A change firing through the fleet: why it fires, what it waits on ("cue drop", "its time"), until when it is tried
     * (wall-clock ms; {@link Long#MAX_VALUE} for one on a time), its tries the fleet did not take, when it is tried again,
     * and the last one's failure; {@code mayApply} once a try's record may be on the topic (until a later try's writer
     * ended every transaction left open and read the topic to its end without finding it);
     * {@code unresolved} once its window ended with such a record: tried no more, marked fired if it applies.
     */
    private record Trying(String why, String since, long untilMillis, int tries, long retryAtMillis, String last,
                          boolean mayApply, boolean unresolved) {
    }

    /** A change of a cue fired from the control topic, not applied here: still tried, failed, or not confirmed; why. */
    private record Unapplied(State state, String why) {
        enum State { TRYING, FAILED, UNCONFIRMED }

        boolean trying() {
            return state == State.TRYING;
        }
    }

    /** A cue fired from the control topic: the version fired, and its changes not applied here by id. */
    private record TopicCue(long version, Map<Long, Unapplied> changes) {
    }

    private FleetControl.Proposal fleetProposal(Show s, long id, String why) {
        ScheduledChange c = changes.get(id);
        if (c == null || c.state() != ScheduledChange.State.PENDING) {
            return new FleetControl.Proposal.Answer(c); // cancelled, or fired with another node's copy of its record
        }
        List<JournalRecord> records = firing(s, c, s.core().journal().nextSeq(), why);
        if (!(records.getFirst() instanceof JournalRecord.ActionsApplied a)) {
            s.core().journal().appendAll(records);
            applied(s, records);
            ScheduledChange now = changes.get(id);
            if (now.state() == ScheduledChange.State.FAILED) {
                note(id, Unapplied.State.FAILED, of(now) + ": " + now.outcome());
            }
            return new FleetControl.Proposal.Answer(c);
        }
        ScheduledChange fired = ((JournalRecord.ScheduleChanged) records.getLast()).change();
        // What it sets as this node has it now, the actions the record was just made from: named on the copy.
        String sets = sets(c);
        return new FleetControl.Proposal.Write(a.steps(), ACTOR, a.reason(), new ControlRecord.Run(a.action(), a.target(), a.before(),
                a.after()), stem(c), fired, "scheduled change #" + c.id(), new FleetControl.Alongside() {
            @Override
            public List<JournalRecord> records(Show show, long firstSeq) {
                // Marked fired once: another try's record of the same change may have applied first.
                ScheduledChange now = changes.get(id);
                return now != null && now.state() == ScheduledChange.State.FIRED ? List.of()
                        : List.of(new JournalRecord.ScheduleChanged(firstSeq, ShowChanges.now(show), fired));
            }

            @Override
            public void applied(Show show, List<JournalRecord> kept) {
                Schedule.this.applied(show, kept);
            }

            @Override
            public Long scheduled() {
                return id;
            }

            @Override
            public ControlRecord.CueFiring cueFiring() {
                // The cue record whose firing started this try: every node that fired the same change with it names it so.
                // None when a cue fired on this node alone started it.
                String cueRecord = tryCueRecord.get(id);
                return cueRecord == null || sets == null ? null : new ControlRecord.CueFiring(cueRecord, stem(c), sets);
            }
        });
    }

    /** Notes that the show cue of control record {@code recordId} fired pending change {@code id} here. Engine thread. */
    private void firedByCueRecord(long id, String recordId) {
        List<String> ids = cueRecords.computeIfAbsent(id, k -> new ArrayList<>());
        if (!ids.contains(recordId)) {
            ids.add(recordId);
        }
    }

    /**
     * The records that mark a pending change fired by {@code record}, applied with no try of it waiting here, numbered from
     * {@code seq}: change {@code record.scheduled()} when the record is this node's (it stopped after the topic took it),
     * or, when it is another node's copy, the change this node fired with the cue record the copy names and that changes
     * what it names ({@link ControlRecord#cueFiring}). Empty unless the record is that change's firing and the change is
     * pending still. Engine thread.
     */
    private List<JournalRecord> firedBy(Show s, ControlRecord record, long seq) {
        if (!fleet.node().equals(record.issuer())) {
            return firedByCopy(s, record, seq);
        }
        ScheduledChange c = changes.get(record.scheduled());
        ControlRecord.Run run = record.run();
        // Its firing: the same change's audit entry, and written after the change was made (a node's data directory made
        // anew numbers its changes from #1 again, and the topic keeps the runs of the one before).
        if (c == null || c.state() != ScheduledChange.State.PENDING || run == null || !run.before().equals(before(c))
                || !run.target().equals(target(c)) || record.issuedAtMillis() < c.createdAtEpochMillis()) {
            return List.of();
        }
        return List.of(new JournalRecord.ScheduleChanged(seq, ShowChanges.now(s),
                c.ended(ScheduledChange.State.FIRED, ACTOR, wallClock.getAsLong(), run.after())));
    }

    /**
     * The records that mark fired the pending change of this node's that another node's {@code record} is a copy of: fired
     * here by the show cue whose control record the copy names, and the same change (what it waits for and what it changes;
     * no two changes pending on one cue change the same flag or guardrail) setting exactly what the copy's did (a playbook
     * of the same name with other actions here is another change: its own try goes on). Empty for any other record.
     * Engine thread.
     */
    private List<JournalRecord> firedByCopy(Show s, ControlRecord record, long seq) {
        ControlRecord.CueFiring firing = record.cueFiring();
        if (firing == null) {
            return List.of();
        }
        List<ScheduledChange> same = changes.values().stream().filter(c -> c.state() == ScheduledChange.State.PENDING
                && cueRecords.getOrDefault(c.id(), List.of()).contains(firing.cueRecord()) && stem(c).equals(firing.change())
                && firing.sets().equals(sets(c)))
                .toList();
        if (same.size() != 1) {
            return List.of();
        }
        ScheduledChange c = same.getFirst();
        String outcome = (record.run() == null ? "" : record.run().after() + " ") + "(" + record.issuer() + "'s copy of its"
                + " control record, fired by the same cue)";
        return List.of(new JournalRecord.ScheduleChanged(seq, ShowChanges.now(s),
                c.ended(ScheduledChange.State.FIRED, ACTOR, wallClock.getAsLong(), outcome.strip())));
    }

    /** Whether {@code a}, a record of this node's applied here, is the firing of {@code c}: its audit entry. */
    private boolean firedBy(ScheduledChange c, JournalRecord.ControlApplied a) {
        return (a.action().equals("schedule.fire") || a.action().equals("playbook.run")) && before(c).equals(a.before())
                && target(c).equals(a.target());
    }

    /**
     * Marks fired, in one journal write, each change found applied before this start and journaled pending still
     * ({@link #appliedNotMarked}); tried again next tick if the journal refuses. Engine thread.
     */
    private void markAppliedBeforeStart(Show s) {
        if (appliedNotMarked.isEmpty()) {
            return;
        }
        long now = ShowChanges.now(s);
        long seq = s.core().journal().nextSeq();
        List<JournalRecord> records = new ArrayList<>();
        appliedNotMarked.forEach((id, outcome) -> {
            ScheduledChange c = changes.get(id);
            if (c != null && c.state() == ScheduledChange.State.PENDING) {
                records.add(new JournalRecord.ScheduleChanged(seq + records.size(), now,
                        c.ended(ScheduledChange.State.FIRED, ACTOR, wallClock.getAsLong(), outcome)));
            }
        });
        if (records.isEmpty()) {
            appliedNotMarked.clear();
            return;
        }
        try {
            s.core().journal().appendAll(records);
        } catch (JournalUnavailableException e) {
            LOG.warn("Scheduled changes fired before this start could not be marked fired, tried again next tick: {}", e.getMessage());
            return;
        }
        applied(s, records);
        records.forEach(r -> LOG.warn("Scheduled change #{} marked fired: its control record applied before this start",
                ((JournalRecord.ScheduleChanged) r).change().id()));
        appliedNotMarked.clear();
    }

    /** The audit's {@code before} of a scheduled change's firing: "scheduled #1 at cue drop". */
    private static String before(ScheduledChange c) {
        return "scheduled #" + c.id() + " at " + c.when();
    }

    /**
     * The stem of the fleet record's id for firing {@code c}: what it waits for and what it changes, so the same
     * change scheduled on several nodes has the same stem on each.
     */
    static String stem(ScheduledChange c) {
        return "schedule|" + (c.cue() != null ? "cue:" + c.cue() : "at:" + c.at()) + "|" + c.describe();
    }

    /**
     * What {@code c} sets as this node has it now, the same way on every node: the SHA-256 of its actions' descriptions, one
     * a line (a playbook's in its order); null for a playbook not ready to run here, which names nothing.
     */
    private String sets(ScheduledChange c) {
        List<PlaybookAction> actions;
        if (c.playbook() == null) {
            actions = List.of(c.action());
        } else {
            try {
                actions = playbooks.ready(c.playbook(), "playbook").actions();
            } catch (ApiException notReady) {
                return null;
            }
        }
        return Secrets.sha256(String.join("\n", actions.stream().map(PlaybookAction::describe).toList())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The records that fire {@code c} from sequence number {@code seq}: its change and one audit entry, or the failure. */
    private List<JournalRecord> firing(Show s, ScheduledChange c, long seq, String why) {
        long now = ShowChanges.now(s);
        long wall = wallClock.getAsLong();
        String reason = c.reason() + " (scheduled #" + c.id() + " by " + c.createdBy() + "; " + why + ")";
        try {
            ShowActions.Made made = c.playbook() != null
                    ? ShowActions.make(s, playbooks.ready(c.playbook(), "playbook").actions(), "actions", ACTOR, reason)
                    : ShowActions.make(s, c.action(), "action", ACTOR, reason);
            String outcome = made.changes().isEmpty() ? "nothing to change" : String.join("; ", made.changes());
            ScheduledChange fired = c.ended(ScheduledChange.State.FIRED, ACTOR, wall, outcome);
            String action = c.playbook() != null ? "playbook.run" : "schedule.fire";
            String before = before(c);
            JournalRecord change = made.steps().isEmpty()
                    ? new JournalRecord.Audited(seq, now, ACTOR, action, target(c), before, outcome, reason)
                    : new JournalRecord.ActionsApplied(seq, now, ACTOR, action, target(c), before, outcome, reason, made.steps());
            return List.of(change, new JournalRecord.ScheduleChanged(seq + 1, now, fired));
        } catch (JournalUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return failure(s, c, seq, why, "failed: " + e.getMessage() + "; nothing changed");
        }
    }

    /** The records that fail {@code c} from sequence number {@code seq}, saying {@code what}: one audit entry and its end. */
    private List<JournalRecord> failure(Show s, ScheduledChange c, long seq, String why, String what) {
        long now = ShowChanges.now(s);
        String reason = c.reason() + " (scheduled #" + c.id() + " by " + c.createdBy() + "; " + why + ")";
        ScheduledChange failed = c.ended(ScheduledChange.State.FAILED, ACTOR, wallClock.getAsLong(), what);
        return List.of(new JournalRecord.Audited(seq, now, ACTOR, "schedule.fail", target(c), before(c),
                what, reason), new JournalRecord.ScheduleChanged(seq + 1, now, failed));
    }

    /** Takes {@code records}, now durable, into the show and the schedule. */
    private void applied(Show s, List<JournalRecord> records) {
        for (JournalRecord r : records) {
            switch (r) {
                case JournalRecord.ActionsApplied a -> s.core().applyActions(a, false);
                case JournalRecord.Audited a -> s.core().experiments().addAudit(a.atMillis(), a.actor(), a.action(), a.target(),
                        a.before(), a.after(), a.reason());
                case JournalRecord.ScheduleChanged c -> changes.put(c.change().id(), c.change());
                default -> throw new IllegalStateException("not a record of the schedule: " + r);
            }
        }
    }

    private List<PlaybookAction> actionsOf(ScheduledChange c) {
        return c.action() != null ? List.of(c.action()) : playbooks.get(c.playbook()).actions();
    }

    /** The flags and guardrails the actions change. */
    private static Set<String> targets(List<PlaybookAction> actions) {
        Set<String> out = new HashSet<>();
        actions.forEach(a -> out.add(a.flag() != null ? a.flag() : a.guardrail()));
        return out;
    }

    /** The audit's target for a scheduled change: its playbook, or the flag or guardrail of its one change. */
    private static String target(ScheduledChange c) {
        return c.playbook() != null ? c.playbook() : c.action().flag() != null ? c.action().flag() : c.action().guardrail();
    }
}
