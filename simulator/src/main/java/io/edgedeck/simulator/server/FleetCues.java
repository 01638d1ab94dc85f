package io.edgedeck.simulator.server;

import io.edgedeck.simulator.server.http.PeerValues;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.simulator.fleet.ControlRecord;
import io.edgedeck.simulator.fleet.ControlWriter;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetFrames;
import io.edgedeck.simulator.fleet.FleetGuardrails;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetSnapshot;
import io.edgedeck.simulator.fleet.NodeFrame;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A show cue fired for the whole fleet at the aggregator ({@code POST /api/v1/show/cues/{name}}, its admin token):
 * one {@code cue/NAME} record on the control topic, which every node applies by firing the cue as if it had been
 * fired on it (its {@code show.cue} entry and the changes pending on it there, in the same journal write as the
 * record's version, so a node fires it once, across restarts too). Answered once every node the aggregator hears
 * from has fired it and applied the changes it fired, or failed them, naming each node that had not fired it within
 * {@link #WAIT} and each whose changes did not apply (docs/FLEET.md, "Cues for the whole fleet").
 */
final class FleetCues implements AutoCloseable {
    /** How long the answer waits for the nodes heard from to read the record. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** How long the cue's record may wait for Kafka. */
    private static final Duration WRITE = Duration.ofSeconds(10);
    private static final int CONFLICT_RETRIES = 3;

    private final FleetAggregator aggregator;
    private final ControlWriter writer;
    /**
     * How long the answer waits for a node that fired the cue to apply the changes it fired, or give them up: a node
     * tries them for its cue window ({@link FleetOptions#cueWindow}, the fleet's given here too) from when it fired the
     * cue, and says so in its next frame, a second later at most.
     */
    private final Duration applyWait;

    FleetCues(FleetOptions options, FleetAggregator aggregator) throws java.io.IOException {
        this.aggregator = aggregator;
        this.applyWait = options.cueWindow().plusSeconds(4);
        this.writer = new ControlWriter(options.topics(), options.kafkaBase(), FleetGuardrails.ISSUER + "-cues",
                ControlWriter.DEFAULT_TRANSACTIONAL_ID, WRITE);
    }

    /**
     * How long a cue's answer usually takes at most: its record's write, counted as one wait for Kafka (a write that waits
     * on Kafka more than once, or is tried again after another writer's, takes longer), then the wait for the nodes to fire
     * it and apply what it fired (19 s with the default cue window of 5 s). Told in {@code /api/v1/fleet} ({@code cueAnswerWithinMillis}), so a
     * client waits for it whatever the aggregator's {@code --cue-window}.
     */
    Duration answerWithin() {
        return WRITE.plus(WAIT.compareTo(applyWait) > 0 ? WAIT : applyWait);
    }

    Route route() {
        return Route.post("/show/cues/{name}", this::fire);
    }

    private Reply fire(Call c) throws Exception {
        // The read key reads; a cue changes every node, so it takes the aggregator's admin token.
        if (!Caller.ADMIN.equals(c.caller().name())) {
            throw ApiException.refused(ApiException.ADMIN_TOKEN_REQUIRED, "firing a cue for the whole fleet takes the aggregator's admin token (DATA_DIR/token);"
                    + " the read key only reads");
        }
        String name = c.param(0);
        if (!io.edgedeck.simulator.server.playbooks.Playbooks.ID.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be a lowercase name: letters, digits and '-', at most 32 characters, was "
                    + PeerValues.quoted(name, '\''));
        }
        OperatorAction asked = c.body().length == 0 ? new OperatorAction(null, "") : JsonBodies.parse(c.body(), OperatorAction.class);
        String reason = asked.reason() == null ? "" : asked.reason();
        String key = "cue/" + name;
        // A retry with the same Idempotency-Key writes nothing again: the writer finds the id on the topic.
        String idempotencyKey = c.header("Idempotency-Key");
        String id = idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("cue|" + name + "|" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
        ObjectNode state = JsonNodeFactory.instance.objectNode().put("cue", name);
        ControlWriter.Written written = null;
        long version = writer.version(key) + 1;
        for (int attempt = 0; written == null; attempt++) {
            ControlRecord record = new ControlRecord(1, id, System.currentTimeMillis(), FleetGuardrails.ISSUER, c.caller().name(),
                    reason, List.of(new ControlRecord.Change(key, version, state)), null, Map.of(), null, null, "show.cue");
            try {
                written = writer.write(record);
            } catch (ControlWriter.ConflictException e) {
                if (attempt + 1 >= CONFLICT_RETRIES) {
                    throw new ApiException(503, null, "cue " + name + " not fired: other writers moved it on " + CONFLICT_RETRIES
                            + " times in a row; no node fires it; fire it again");
                }
                version = e.current() + 1;
            } catch (ControlWriter.UnavailableException e) {
                throw new ApiException(503, null, e.mayHaveLanded()
                        ? "cue " + name + ": Kafka took the write but did not confirm it in time: it may yet reach every node;"
                                + " read the nodes' audit (show.cue) before firing it again"
                        : "cue " + name + " not fired: Kafka did not take it (" + e.getMessage() + "); no node fires it");
            }
        }
        long now = System.nanoTime();
        ObjectNode answer = answer(name, written.offset(), version, now + WAIT.toNanos(), now + applyWait.toNanos());
        // 200: every node heard of fired it; 202: written, and the nodes named in notTaken have not fired it (yet).
        return Reply.json(answer.get("notTaken").isEmpty() ? 200 : 202, answer);
    }

    /**
     * Which nodes fired the cue's record at {@code offset}, of {@code version} (their frames name the version of each cue
     * they fired) and applied the changes it fired there, and which not and why, waiting until every node heard from in
     * the last 5 s fired it, or cannot, or {@code deadline} ({@link System#nanoTime()}) passes, and until each that
     * fired it applied its changes or failed them, or {@code applyDeadline} passes.
     */
    private ObjectNode answer(String name, long offset, long version, long deadline, long applyDeadline) throws InterruptedException {
        while (true) {
            long nowNanos = System.nanoTime();
            FleetSnapshot fleet = aggregator.snapshot(System.currentTimeMillis());
            List<FleetSnapshot.NodeView> nodes = fleet.nodes();
            Map<String, NodeFrame> frames = aggregator.nodeFrames();
            List<String> took = new ArrayList<>();
            List<ObjectNode> not = new ArrayList<>();
            List<String> notApplied = new ArrayList<>();
            boolean waitingToTake = false;
            boolean waitingToApply = false;
            for (FleetSnapshot.NodeView n : nodes) {
                NodeFrame frame = frames.get(n.node());
                Map<String, Long> fired = frame == null ? null : frame.cues();
                boolean silent = n.lastSeenMillis() != 0 && FleetFrames.silent(n.lastSeenMillis(), fleet.atMillis());
                if (fired != null && fired.getOrDefault(name, 0L) >= version) {
                    NodeFrame.CueNotApplied open = frame.cuesNotApplied() == null ? null : frame.cuesNotApplied().get(name);
                    if (open == null || open.version() < version) {
                        took.add(n.node());
                        continue;
                    }
                    // It fired the cue, and a change it fired there has not applied: not said to have taken it.
                    waitingToApply |= open.trying() && !silent;
                    notApplied.add(n.node());
                    not.add(JsonNodeFactory.instance.objectNode().put("node", n.node()).put("took", true)
                            .put("why", (open.trying() ? "its change is not applied yet: " : open.unconfirmed()
                                    ? "its change is not confirmed yet: it may apply on every node; read the flags: "
                                    : "its change did not apply: ") + open.why()));
                    continue;
                }
                boolean notTakenForSilence = false;
                String why;
                if (frame != null && fired == null) {
                    // Its frames do not say which cues it fired: a version before that skips cue records altogether.
                    why = "it runs an older version that does not report the fleet cues it fires (one older still skips"
                            + " them): it may not have fired it; upgrade it";
                } else if (n.controlOffset() >= offset) {
                    why = "read the cue's record (offset " + offset + ") and did not fire it: it refused the record;"
                            + " its log says why";
                } else {
                    waitingToTake |= !silent;
                    notTakenForSilence = silent;
                    why = silent ? "silent for " + n.ageMillis() / 1000 + " s: it fires the cue when it reads the control topic again"
                            : "had not read the cue within " + WAIT.toSeconds() + " s (it had read the control topic to offset "
                                    + n.controlOffset() + "): it fires the cue when it reads that far";
                }
                ObjectNode notTaken = JsonNodeFactory.instance.objectNode().put("node", n.node()).put("why", why);
                if (notTakenForSilence) {
                    // In data too, on /api/v1/fleet's clock: a console tells the silence by its own count of it.
                    notTaken.put("lastSeenMillis", n.lastSeenMillis());
                }
                not.add(notTaken);
            }
            if (!(waitingToTake && nowNanos <= deadline) && !(waitingToApply && nowNanos <= applyDeadline)) {
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("cue", name).put("offset", offset);
                ArrayNode tookList = body.putArray("took");
                took.forEach(tookList::add);
                body.putArray("notTaken").addAll(not);
                List<String> notTaken = not.stream().map(o -> o.get("node").asText()).filter(n -> !notApplied.contains(n)).toList();
                List<String> parts = new ArrayList<>();
                if (!notTaken.isEmpty()) {
                    parts.add("not taken by " + String.join(", ", notTaken));
                }
                if (!notApplied.isEmpty()) {
                    parts.add("taken but not applied by " + String.join(", ", notApplied));
                }
                if (!took.isEmpty()) {
                    parts.add("taken by " + String.join(", ", took));
                }
                body.put("detail", nodes.isEmpty() ? "written to the control topic; the aggregator has heard of no node yet"
                        : not.isEmpty() ? "every node took it: " + String.join(", ", took) : String.join("; ", parts));
                return body;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
