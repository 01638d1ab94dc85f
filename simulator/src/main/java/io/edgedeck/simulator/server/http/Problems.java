package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.model.Problem;

/**
 * Every error the node answers, as RFC 9457 {@code application/problem+json}: one place decides the
 * {@code type} and {@code title} of each status, whether the error came from a handler, from the
 * router, or from the HTTP parser before any handler saw the request.
 */
public final class Problems {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static Problem of(ApiException e) {
        return new Problem("urn:edgedeck:problem:" + kind(e.status()), title(e.status()), e.status(), e.getMessage(), e.field(),
                e.requiredRole(), e.reason());
    }

    /** The problem document's bytes. */
    public static byte[] json(ApiException e) {
        try {
            return JSON.writeValueAsBytes(of(e));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String kind(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorised";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 408 -> "timeout";
            case 409 -> "conflict";
            case 413 -> "too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 417 -> "expectation-failed";
            case 422 -> "idempotency-key-reused";
            case 426 -> "http-version";
            case 429 -> "too-many-requests";
            case 431 -> "headers-too-large";
            case 501 -> "not-implemented";
            case 503 -> "unavailable";
            case 505 -> "http-version";
            default -> status >= 500 ? "internal" : "invalid";
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Unauthorised";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 413 -> "Request too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 417 -> "Expectation failed";
            case 422 -> "Idempotency key reused";
            case 426 -> "Upgrade required";
            case 429 -> "Too many requests";
            case 431 -> "Request headers too large";
            case 501 -> "Not implemented";
            case 503 -> "Unavailable";
            case 505 -> "HTTP version not supported";
            default -> status >= 500 ? "Internal error" : "Invalid request";
        };
    }
}
