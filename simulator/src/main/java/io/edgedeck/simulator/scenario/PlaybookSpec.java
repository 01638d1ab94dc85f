package io.edgedeck.simulator.scenario;

import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.VariantView;

import java.util.List;

/**
 * A playbook the show declares (a scenario's or a node configuration's {@code playbooks}): a named
 * set of changes a person runs with one call, or the node runs itself when {@code onGuardrail} fires.
 * Declared playbooks are the show's own: they need no approval (docs/API.md, "Playbooks").
 *
 * @param onGuardrail a guardrail id whose automatic firing runs it; null for none
 */
public record PlaybookSpec(String id, String description, List<Action> actions, String onGuardrail) {
    public PlaybookSpec {
        description = description == null ? "" : description;
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /**
     * One change, as {@link PlaybookAction} describes it, with a {@code change}'s weights in percent
     * like the file's flags.
     */
    public record Action(String type, String flag, String variant, List<String> pops, List<FlagSpec.Variant> variants,
                         String guardrail) {
        PlaybookAction toAction() {
            return new PlaybookAction(type, flag, variant, pops, variants == null ? null
                    : variants.stream().map(v -> new VariantView(v.name(), v.basisPoints())).toList(), null, guardrail);
        }
    }

    /** The playbook as the node lists it: ready, made by {@code config}. */
    public Playbook toPlaybook() {
        return new Playbook(id, description, actions.stream().map(Action::toAction).toList(), onGuardrail, Playbook.State.READY,
                Playbook.CONFIG, null, "");
    }
}
