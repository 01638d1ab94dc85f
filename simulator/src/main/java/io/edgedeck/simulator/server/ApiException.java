package io.edgedeck.simulator.server;

/** A request the API answers with a problem document rather than a result. */
final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    ApiException(int status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    static ApiException invalid(String field, String detail) {
        return new ApiException(400, field, detail);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
