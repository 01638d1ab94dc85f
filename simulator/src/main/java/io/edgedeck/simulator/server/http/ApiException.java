package io.edgedeck.simulator.server.http;

/**
 * A request the node answers with a problem document rather than a result: the status, the input
 * field at fault when there is one, and a detail for a person. Handlers throw it; the router renders it.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    /** 400 naming the field at fault. */
    public static ApiException invalid(String field, String detail) {
        return new ApiException(400, field, detail);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
