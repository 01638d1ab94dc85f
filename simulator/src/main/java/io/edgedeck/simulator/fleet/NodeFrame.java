package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A node's status once a second on the frames topic (schema {@value #SCHEMA}): which PoPs it
 * serves, how far behind its publishing and its control topic are, and its latest metrics frame.
 * Frames are not spooled: while Kafka is unreachable only the newest waits, and the aggregator's
 * "last seen" says how old it is.
 *
 * @param node             the node's id
 * @param atMillis         when the node made it, epoch ms
 * @param pops             the PoPs the node serves
 * @param spoolPending     records waiting in its spool for Kafka
 * @param spoolBytes       the spool's size on disk
 * @param spoolRefused     records refused because the spool was full, since the node started
 * @param oldestPendingMillis epoch ms of the oldest record waiting in the spool, or -1
 * @param controlOffset    the last control topic offset the node applied, or -1
 * @param controlLag       control records not yet applied, or -1 when unknown
 * @param frame            the node's latest metrics frame (the Edge Control API's frame JSON), or null
 * @param url              the base URL at which the aggregator reaches the node's API, or null (a node of an
 *                         older version): where the aggregator sends the OFREP evaluations it takes
 * @param acknowledged     per flag, the PoPs of {@code pops} that run the flag's latest version, or null (a node of an
 *                         older version, which sent only the counts in its metrics frame): with it the aggregator
 *                         counts a PoP that two nodes serve once
 * @param cues             per show cue this node fired from the control topic, the version of the {@code cue/NAME} record
 *                         it fired last (empty before its first); null from a node of an older version, which does not
 *                         say: with it the aggregator answers which nodes fired a cue fired for the whole fleet
 * @param cuesNotApplied   per show cue of {@code cues} whose changes scheduled here have not all applied (their control
 *                         record is still being written, or could not be), the version fired and why; a cue whose
 *                         changes all applied is left out; null from a node of an older version, which does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeFrame(int v, String node, long atMillis, List<String> pops, long spoolPending, long spoolBytes,
                        long spoolRefused, long oldestPendingMillis, long controlOffset, long controlLag,
                        JsonNode frame, String url, java.util.Map<String, List<String>> acknowledged,
                        java.util.Map<String, Long> cues, java.util.Map<String, CueNotApplied> cuesNotApplied) {

    public static final String SCHEMA = "node-frame/1";

    /**
     * A show cue this node fired from the control topic whose changes scheduled here have not all applied.
     *
     * @param version the version of the cue's record it fired
     * @param trying  true while the node still tries to write a change's control record; false once it gave up
     * @param why     what is not applied and why, in words ("scheduled change #2 (kill offer-banner): ...")
     * @param unconfirmed true when, no longer tried, a change's record may be on the control topic (Kafka did not confirm
     *                    it, or it is there and this node had not applied it in time): it may yet apply on every node, and
     *                    the node marks it fired once it applies it; false from a node of an older version, which does not say
     */
    public record CueNotApplied(long version, boolean trying, String why, boolean unconfirmed) {
    }

    public NodeFrame {
        pops = pops == null ? List.of() : List.copyOf(pops);
        acknowledged = acknowledged == null ? null : java.util.Map.copyOf(acknowledged);
        cues = cues == null ? null : java.util.Map.copyOf(cues);
        cuesNotApplied = cuesNotApplied == null ? null : java.util.Map.copyOf(cuesNotApplied);
    }

    /** A frame of a node that does not say whether the changes of the cues it fired applied. */
    public NodeFrame(int v, String node, long atMillis, List<String> pops, long spoolPending, long spoolBytes,
                     long spoolRefused, long oldestPendingMillis, long controlOffset, long controlLag, JsonNode frame, String url,
                     java.util.Map<String, List<String>> acknowledged, java.util.Map<String, Long> cues) {
        this(v, node, atMillis, pops, spoolPending, spoolBytes, spoolRefused, oldestPendingMillis, controlOffset, controlLag,
                frame, url, acknowledged, cues, null);
    }

    /** A frame of a node that does not say which show cues it fired. */
    public NodeFrame(int v, String node, long atMillis, List<String> pops, long spoolPending, long spoolBytes,
                     long spoolRefused, long oldestPendingMillis, long controlOffset, long controlLag, JsonNode frame, String url,
                     java.util.Map<String, List<String>> acknowledged) {
        this(v, node, atMillis, pops, spoolPending, spoolBytes, spoolRefused, oldestPendingMillis, controlOffset, controlLag,
                frame, url, acknowledged, null, null);
    }

    /** A frame of a node that does not say which of its PoPs run each flag's version. */
    public NodeFrame(int v, String node, long atMillis, List<String> pops, long spoolPending, long spoolBytes,
                     long spoolRefused, long oldestPendingMillis, long controlOffset, long controlLag, JsonNode frame, String url) {
        this(v, node, atMillis, pops, spoolPending, spoolBytes, spoolRefused, oldestPendingMillis, controlOffset, controlLag,
                frame, url, null, null, null);
    }
}
