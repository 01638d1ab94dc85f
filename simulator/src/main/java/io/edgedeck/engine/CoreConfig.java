package io.edgedeck.engine;

import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.triggers.TriggerRule;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an edge core needs to run: its PoPs, the flags it starts with, its triggers and guardrails,
 * and its clock's step. The shape of a node's configuration; a rehearsal builds one from a
 * scenario, a live node from its node config. Nothing here describes traffic.
 *
 * @param name              the show's or node's name, carried into frames and the journal
 * @param seed              the show's seed, carried into frames and the journal (0 for a live node)
 * @param tickMillis        engine time per step; commands from outside apply between steps
 * @param frameMillis       engine time between metrics frames (a multiple of tickMillis)
 * @param pops              the PoPs, in the order frames list them
 * @param regions           the region ids a flag's scope may name; empty for the PoPs' own regions
 * @param flags             the flags created when the journal has none, in this order
 * @param configuredBy      who those flags are attributed to in the audit trail: {@code scenario} in a rehearsal,
 *                          {@link #NODE_CONFIG} on a live node
 * @param triggers          the micro-metric trigger rules every unit runs
 * @param guardrails        the guardrail rules
 * @param noDataAfterMillis a PoP with no observation for this long is {@code NO_DATA}
 * @param showDocument      the show's whole description, journaled in {@code show.started} so that the
 *                          journal alone can replay it (a rehearsal's scenario file); null when the name says it all
 */
public record CoreConfig(String name, long seed, int tickMillis, int frameMillis, List<PopSite> pops, List<String> regions,
                         List<FlagDefinition> flags, String configuredBy, List<TriggerRule> triggers,
                         List<GuardrailSpec> guardrails, long noDataAfterMillis,
                         com.fasterxml.jackson.databind.JsonNode showDocument) {
    /** Who a live node's own configuration (its flags, and what its starts change) is audited under. */
    public static final String NODE_CONFIG = "config";

    /** Why the flags were created, for their first audit entry: "flag declared in the node config friday-drop". */
    public String flagsSetUpReason() {
        return (NODE_CONFIG.equals(configuredBy) ? "flag declared in the node config " : "flag set up by " + configuredBy + " ")
                + name;
    }

    public static final int DEFAULT_TICK_MILLIS = 10;
    public static final int DEFAULT_FRAME_MILLIS = 250;
    public static final long DEFAULT_NO_DATA_AFTER_MILLIS = 10_000;

    public CoreConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a show needs a name");
        pops = List.copyOf(pops);
        if (pops.isEmpty()) throw new IllegalArgumentException("a show needs at least one PoP");
        Set<String> ids = new HashSet<>();
        for (PopSite p : pops) {
            if (!ids.add(p.id())) throw new IllegalArgumentException("duplicate PoP id " + p.id());
        }
        regions = regions == null || regions.isEmpty() ? pops.stream().map(PopSite::region).distinct().toList() : List.copyOf(regions);
        flags = flags == null ? List.of() : List.copyOf(flags);
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
        if (!flags.isEmpty() && (configuredBy == null || configuredBy.isBlank())) {
            throw new IllegalArgumentException("flags set up by configuration need configuredBy");
        }
        if (tickMillis <= 0 || 1000 % tickMillis != 0) throw new IllegalArgumentException("tickMillis must divide 1000, was " + tickMillis);
        if (frameMillis <= 0 || frameMillis % tickMillis != 0) throw new IllegalArgumentException("frameMillis must be a multiple of tickMillis (" + tickMillis + "), was " + frameMillis);
        if (noDataAfterMillis <= 0) throw new IllegalArgumentException("noDataAfterMillis must be > 0, was " + noDataAfterMillis);
    }

    /** A core with the default step, no flags, triggers or guardrails yet. */
    public static CoreConfig of(String name, long seed, int frameMillis, List<PopSite> pops, List<String> regions) {
        return new CoreConfig(name, seed, DEFAULT_TICK_MILLIS, frameMillis, pops, regions, List.of(), null, List.of(), List.of(),
                DEFAULT_NO_DATA_AFTER_MILLIS, null);
    }

    public CoreConfig withFlags(String by, List<FlagDefinition> initialFlags) {
        return new CoreConfig(name, seed, tickMillis, frameMillis, pops, regions, initialFlags, by, triggers, guardrails,
                noDataAfterMillis, showDocument);
    }

    public CoreConfig withTriggers(List<TriggerRule> rules) {
        return new CoreConfig(name, seed, tickMillis, frameMillis, pops, regions, flags, configuredBy, rules, guardrails,
                noDataAfterMillis, showDocument);
    }

    public CoreConfig withGuardrails(List<GuardrailSpec> rules) {
        return new CoreConfig(name, seed, tickMillis, frameMillis, pops, regions, flags, configuredBy, triggers, rules,
                noDataAfterMillis, showDocument);
    }

    public CoreConfig withNoDataAfterMillis(long millis) {
        return new CoreConfig(name, seed, tickMillis, frameMillis, pops, regions, flags, configuredBy, triggers, guardrails,
                millis, showDocument);
    }

    public CoreConfig withShowDocument(com.fasterxml.jackson.databind.JsonNode document) {
        return new CoreConfig(name, seed, tickMillis, frameMillis, pops, regions, flags, configuredBy, triggers, guardrails,
                noDataAfterMillis, document);
    }

    public List<String> popIds() {
        return pops.stream().map(PopSite::id).toList();
    }
}
