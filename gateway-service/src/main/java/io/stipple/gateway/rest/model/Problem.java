package io.stipple.gateway.rest.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}).
 *
 * @param errors one entry per offending field, when the problem is about the request's content
 */
@Schema(name = "Problem")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * @param field   the offending field as a path in the JSON body (e.g. {@code sampler_settings.eta}),
     *                or a header / query parameter name
     * @param message what is wrong with it
     */
    @Schema(name = "FieldError")
    public record FieldError(String field, String message) {
    }
}
