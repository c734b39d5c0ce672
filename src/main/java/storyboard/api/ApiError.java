package storyboard.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every error answer. {@code field} names the offending input when there is one. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String error, String message, String field) {}
