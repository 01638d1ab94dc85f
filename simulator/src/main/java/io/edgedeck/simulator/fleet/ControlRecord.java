package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.model.ChangeRequest;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One record on the control topic (schema {@value #SCHEMA}): one change, or several that apply
 * together (a playbook run), each setting one key to a full new state at the next version.
 * Records are state, not deltas: the newest record of a key says everything about it, so the
 * compacted topic keeps only that and a new node catches up by reading it from the beginning.
 *
 * @param id             unique per change request: writing the same id twice writes it once
 * @param issuedAtMillis when the operator (or guardrail) asked, epoch ms
 * @param issuer         the node or aggregator that wrote it
 * @param operator       who asked (a person, or {@code guardrail:RULE})
 * @param reason         why, as given
 * @param changes        at least one; each key at most once
 * @param run            when the record is a run of several actions as one (a playbook's run, a scheduled change
 *                       firing), the audit entry the issuing node records for it; null for one operator's change of one key
 * @param values         for a guardrail's rollback decided by the fleet's aggregator, the figures that tripped it, as its
 *                       firing lists them (so an aggregator started again lists the firing with them), finite ones only;
 *                       empty otherwise
 * @param idempotencyKey the {@code Idempotency-Key} of the request the issuing node took, which the issuer journals
 *                       with the record's change however it comes to apply it (answering the request, or on start
 *                       after it stopped first); null when the change was asked without one, and in records written
 *                       before nodes carried it
 * @param request        the issuing node's change request this record applies (an approved request applied, or an
 *                       edit that left a request no risk), as it stands once applied: the issuer marks it applied in
 *                       the same journal write as the change, however it comes to apply the record (answering the
 *                       request, or on start after it stopped first); other nodes ignore it; null for any other change
 * @param action         for one operator's change (no {@code run}), the audit action the issuing node records for it, e.g.
 *                       {@code flag.rollback}, so that it audits the record the same way whether the request still waits
 *                       for it or the node applies it on start after it stopped; null otherwise, and in records written
 *                       before nodes carried it (the issuing node then audits the steps it makes)
 * @param scheduled      for a scheduled change firing, the number of the change on the issuing node (its {@code #N}): the
 *                       issuer marks it fired in the same journal write as the record, however it comes to apply it
 *                       (while its try waits, or on start after it stopped first); other nodes ignore it; null for any
 *                       other change, and in records written before nodes carried it
 * @param cueFiring      for a scheduled change fired by a show cue this node read on the control topic, which firing of
 *                       which change it is and what it sets, the same on every node's copy of that change: a node that
 *                       fired the same change, setting the same, with the same cue record marks its own copy fired when it
 *                       applies this one, whoever wrote it; null for any other change, and in records written before nodes
 *                       carried it (or carried it without what the change sets)
 */
public record ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                            List<Change> changes, @JsonInclude(JsonInclude.Include.NON_NULL) Run run,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> values,
                            @JsonInclude(JsonInclude.Include.NON_NULL) IdempotencyKey idempotencyKey,
                            @JsonInclude(JsonInclude.Include.NON_NULL) ChangeRequest request,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String action,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long scheduled,
                            @JsonInclude(JsonInclude.Include.NON_NULL) CueFiring cueFiring) {

    public static final String SCHEMA = "control/1";
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*/[^\\s]{1,200}");

    /**
     * One key's new state.
     *
     * @param key     {@code KIND/NAME}, e.g. {@code flag/offer-banner}, {@code guardrail/sentiment-guard},
     *                {@code playbook/drop-safe} (docs/FLEET.md lists the kinds)
     * @param version the key's new version: exactly one more than the version it replaces (1 for a new key)
     * @param state   the key's whole state after the change, as the kind defines it
     */
    public record Change(String key, long version, JsonNode state) {
        public Change {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(state, "state");
            if (!state.isObject()) {
                // JSON's null reads as a null node, not as no state: a peer's "state": null is no state to apply.
                throw new IllegalArgumentException("the state of " + key + " must be a JSON object, not " + state.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT));
            }
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("control key must be KIND/NAME (kind in lower case), got " + key);
            }
            if (version < 1) {
                throw new IllegalArgumentException("version of " + key + " must be at least 1, got " + version);
            }
        }

        /** The part of the key before the slash. */
        public String kind() {
            return key.substring(0, key.indexOf('/'));
        }
    }

    /**
     * What the node that wrote a run audits it as, e.g. {@code playbook.run} of {@code stop-the-bleed}
     * with every change it makes in {@code after}.
     */
    public record Run(String action, String target, String before, String after) {
        public Run {
            Objects.requireNonNull(action, "run.action");
            Objects.requireNonNull(target, "run.target");
            before = before == null ? "" : before;
            after = after == null ? "" : after;
        }
    }

    /**
     * A request's key as its node journals it ({@code idempotency.key}, docs/JOURNAL.md): never a token.
     *
     * @param caller      the name of who sent it (a person, or {@code admin})
     * @param key         their {@code Idempotency-Key}
     * @param fingerprint the request's method, path and the SHA-256 of its body
     * @param wallMillis  when the issuing node took the request, ms since the epoch
     */
    public record IdempotencyKey(String caller, String key, String fingerprint, long wallMillis) {
        /** Whether it names a key, with whose it is and which request it was. */
        boolean whole() {
            return caller != null && !caller.isBlank() && key != null && !key.isBlank() && fingerprint != null
                    && !fingerprint.isBlank();
        }
    }

    /**
     * Which firing of which scheduled change a record is, as every node that fired it names it: the node's own number of
     * the change differs from node to node, this does not.
     *
     * @param cueRecord the id of the control record of the show cue ({@code cue/NAME}) whose firing started this try of
     *                  the change (a producer's retry keeps it; a try a cue fired on the node alone started names none)
     * @param change    the change as every node that has it names it: what it waits for and what it changes, e.g.
     *                  {@code schedule|cue:drop|kill offer-banner} (the stem of its record's id); a node never has two
     *                  changes pending on one cue that change the same flag or guardrail
     * @param sets      what the change sets, as the writing node had it when it wrote the record: the SHA-256 (64
     *                  lower-case hex digits) of its actions' descriptions, one a line ("kill offer-banner"; a playbook's
     *                  every action in its order), so two nodes' same-named playbooks that change different things differ;
     *                  a record without it (an earlier version's) names no firing
     */
    public record CueFiring(String cueRecord, String change, String sets) {
        /** Whether it names a cue record, a change and what it sets. */
        boolean whole() {
            return cueRecord != null && !cueRecord.isBlank() && change != null && !change.isBlank() && sets != null
                    && !sets.isBlank();
        }
    }

    /** One operator's change of one key (or several keys changed together that are not a run). */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, null, Map.of());
    }

    /** A run of several actions as one, or one change with no figures. */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes, Run run) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, run, Map.of());
    }

    /** A change asked for without an {@code Idempotency-Key}. */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes, Run run, Map<String, Double> values) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, run, values, null);
    }

    /** A change that applies no change request. */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes, Run run, Map<String, Double> values, IdempotencyKey idempotencyKey) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, run, values, idempotencyKey, null);
    }

    /** A record whose audit action is not carried (a run's is in {@code run}; a guardrail's or a test's). */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes, Run run, Map<String, Double> values, IdempotencyKey idempotencyKey,
                         ChangeRequest request) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, run, values, idempotencyKey, request, null);
    }

    /** A record that fires no scheduled change. */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes, Run run, Map<String, Double> values, IdempotencyKey idempotencyKey,
                         ChangeRequest request, String action) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, run, values, idempotencyKey, request, action, null);
    }

    /** A record that names no cue's firing (none fired it, or it fires no scheduled change). */
    public ControlRecord(int v, String id, long issuedAtMillis, String issuer, String operator, String reason,
                         List<Change> changes, Run run, Map<String, Double> values, IdempotencyKey idempotencyKey,
                         ChangeRequest request, String action, Long scheduled) {
        this(v, id, issuedAtMillis, issuer, operator, reason, changes, run, values, idempotencyKey, request, action, scheduled,
                null);
    }

    public ControlRecord {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || id.length() > 200) {
            throw new IllegalArgumentException("control record id must be 1 to 200 characters");
        }
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
        Map<String, Double> known = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, x) -> {
                // JSON has no NaN or infinity: a figure that is not finite is left out rather than break the record.
                if (k != null && x != null && Double.isFinite(x)) {
                    known.put(k, x);
                }
            });
        }
        values = Collections.unmodifiableMap(known);
        // A key that does not say whose it is or for which request cannot answer a retry: the change applies without it.
        if (idempotencyKey != null && !idempotencyKey.whole()) {
            idempotencyKey = null;
        }
        if (action != null && (action.isBlank() || action.length() > 100)) {
            action = null;
        }
        if (scheduled != null && scheduled < 1) {
            scheduled = null;
        }
        // One that does not say both which cue's record and which change cannot be told from another firing: left out.
        if (cueFiring != null && !cueFiring.whole()) {
            cueFiring = null;
        }
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a control record changes at least one key");
        }
        Set<String> keys = new HashSet<>();
        for (Change c : changes) {
            if (!keys.add(c.key())) {
                throw new IllegalArgumentException("key " + c.key() + " changed twice in control record " + id);
            }
        }
    }

    /**
     * The Kafka key: the one change's key, or {@code batch/ID} for several changes or a run (kept: no
     * later record replaces it, so the run stays on the topic as it was made).
     */
    public String kafkaKey() {
        return changes.size() == 1 && run == null ? changes.getFirst().key() : "batch/" + id;
    }

    /** This record with only the given changes. */
    public ControlRecord withChanges(List<Change> subset) {
        return new ControlRecord(v, id, issuedAtMillis, issuer, operator, reason, subset, run, values, idempotencyKey, request,
                action, scheduled, cueFiring);
    }
}
