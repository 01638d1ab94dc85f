package io.edgedeck.client.model;

/**
 * The body of {@code POST /api/v1/schedule}: exactly one of {@code cue} (a named cue's name) and
 * {@code at} (an ISO-8601 instant, in UTC or with an offset; kept in UTC), exactly one of {@code playbook} (a ready playbook's id) and
 * {@code action}, and a {@code reason}.
 */
public record NewScheduledChange(String cue, String at, String playbook, PlaybookAction action, String reason) {
}
