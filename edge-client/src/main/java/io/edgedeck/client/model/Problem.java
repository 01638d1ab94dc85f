package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error answer as RFC 9457 {@code application/problem+json}.
 *
 * @param type   a URI naming the kind of problem, e.g. {@code urn:edgedeck:problem:invalid}
 * @param title  a short summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a person
 * @param field  the request field at fault, e.g. {@code variants[1].weight}; only for invalid input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
