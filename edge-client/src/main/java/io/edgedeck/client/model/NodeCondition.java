package io.edgedeck.client.model;

/**
 * Whether the node behind a frame can take changes: {@code OK}; {@code READ_ONLY} while its journal
 * cannot be written (it refuses changes and keeps serving reads and frames); {@code FAILED} when its
 * engine stopped (the frame is its last, and nothing changes any more).
 *
 * @param status what the node can do
 * @param detail why, for a person, e.g. {@code journal not writable: No space left on device}; empty when OK
 */
public record NodeCondition(Status status, String detail) {
    public static final NodeCondition OK = new NodeCondition(Status.OK, "");

    public enum Status {
        OK, READ_ONLY, FAILED
    }

    public NodeCondition {
        status = status == null ? Status.OK : status;
        detail = detail == null ? "" : detail;
    }

    public static NodeCondition readOnly(String detail) {
        return new NodeCondition(Status.READ_ONLY, detail);
    }

    public static NodeCondition failed(String detail) {
        return new NodeCondition(Status.FAILED, detail);
    }
}
