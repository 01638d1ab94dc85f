package io.edgedeck.simulator.traffic;

import io.edgedeck.simulator.scenario.ChatMix;

/**
 * One shift of a variant's chat mood (a scenario's cue, or one fired by hand), in force from
 * {@link AudienceModel#shiftMood} until {@link AudienceModel#endMoodShift} ends it.
 *
 * @param key  "flag/variant"
 * @param mood the mood its sessions chat in meanwhile
 */
public record MoodShift(String key, ChatMix mood) {
}
