package io.edgedeck.simulator.scenario;

import io.edgedeck.engine.guardrails.GuardrailSpec;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.edge.RegionSpec;

import java.util.Comparator;
import java.util.List;

/**
 * A show as a scenario file describes it: where the audience comes from and which PoPs serve it,
 * how many people arrive and what they do, the flags and rules under test, and a timeline of faults
 * and shifts. Everything the engine randomises derives from {@code seed}, so the same scenario and
 * seed replay the same show. Build one with {@link ScenarioParser}; the compact constructor only
 * guards what the engine cannot run without, the parser reports everything else with its location.
 *
 * @param name            short name, e.g. {@code steady-show}
 * @param description     one line for lists and pickers
 * @param seed            root of every random stream in the run
 * @param durationSeconds simulated length of the show
 * @param frameMillis     cadence of metrics frames, in simulated ms
 * @param pops            the PoPs, in the order the console shows them
 * @param regions         audience regions; their shares sum to 1
 * @param audience        arrivals and per-session behaviour
 * @param flags           flags with variants, scope and per-variant effects
 * @param triggers        per-session micro-metric triggers
 * @param guardrails      windowed variant-vs-control rules
 * @param cues            the fault and shift timeline, in file order (see {@link #timeline()})
 * @param approvals       which changes wait for a second person on a node; {@link Approvals#NONE} when absent
 * @param playbooks       named sets of changes applied as one (docs/API.md, "Playbooks"); empty when absent
 * @param encoder         the producer's encoder as a rehearsal plays it; {@link EncoderSpec#DEFAULT} when absent
 */
// "$schema" may name the format version (checked when present); it is not part of the model.
@JsonIgnoreProperties({"$schema"})
public record Scenario(String name, String description, long seed, int durationSeconds, int frameMillis,
                       List<PopSpec> pops, List<RegionSpec> regions, Audience audience, List<FlagSpec> flags,
                       List<TriggerSpec> triggers, List<GuardrailSpec> guardrails, List<Cue> cues,
                       Approvals approvals, List<PlaybookSpec> playbooks, EncoderSpec encoder) {

    /** The value every scenario file carries in {@code $schema}. */
    public static final String SCHEMA_ID = "https://edgedeck.io/schema/scenario-v1.json";

    public static final int DEFAULT_FRAME_MILLIS = 250;

    public Scenario {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("scenario name is required");
        if (durationSeconds <= 0) throw new IllegalArgumentException("durationSeconds must be > 0, was " + durationSeconds);
        if (frameMillis <= 0) throw new IllegalArgumentException("frameMillis must be > 0, was " + frameMillis);
        if (audience == null) throw new IllegalArgumentException("audience is required");
        description = description == null ? "" : description;
        pops = List.copyOf(pops);
        regions = List.copyOf(regions);
        flags = flags == null ? List.of() : List.copyOf(flags);
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
        cues = cues == null ? List.of() : List.copyOf(cues);
        approvals = approvals == null ? Approvals.NONE : approvals;
        playbooks = playbooks == null ? List.of() : List.copyOf(playbooks);
        encoder = encoder == null ? EncoderSpec.DEFAULT : encoder;
    }

    /** A show whose encoder streams at the default bitrate. */
    public Scenario(String name, String description, long seed, int durationSeconds, int frameMillis,
                    List<PopSpec> pops, List<RegionSpec> regions, Audience audience, List<FlagSpec> flags,
                    List<TriggerSpec> triggers, List<GuardrailSpec> guardrails, List<Cue> cues, Approvals approvals,
                    List<PlaybookSpec> playbooks) {
        this(name, description, seed, durationSeconds, frameMillis, pops, regions, audience, flags, triggers, guardrails, cues,
                approvals, playbooks, null);
    }

    /** A show with approval lanes and no playbooks. */
    public Scenario(String name, String description, long seed, int durationSeconds, int frameMillis,
                    List<PopSpec> pops, List<RegionSpec> regions, Audience audience, List<FlagSpec> flags,
                    List<TriggerSpec> triggers, List<GuardrailSpec> guardrails, List<Cue> cues, Approvals approvals) {
        this(name, description, seed, durationSeconds, frameMillis, pops, regions, audience, flags, triggers, guardrails, cues,
                approvals, null);
    }

    /** A show with no approval lanes. */
    public Scenario(String name, String description, long seed, int durationSeconds, int frameMillis,
                    List<PopSpec> pops, List<RegionSpec> regions, Audience audience, List<FlagSpec> flags,
                    List<TriggerSpec> triggers, List<GuardrailSpec> guardrails, List<Cue> cues) {
        this(name, description, seed, durationSeconds, frameMillis, pops, regions, audience, flags, triggers, guardrails, cues, null);
    }

    /** The cues by start time; cues starting together keep their file order. */
    public List<Cue> timeline() {
        return cues.stream().sorted(Comparator.comparingInt(Cue::atSeconds)).toList();
    }
}
