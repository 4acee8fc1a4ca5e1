package io.stipple.gateway.rest.problem;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.List;

/** Names an offending field the way the client wrote it: a snake_case path into the JSON body. */
public final class FieldPaths {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private FieldPaths() {
    }

    /** {@code sampler_settings.eta}, {@code webhook.events[1]} from Jackson's reference chain. */
    static String ofJsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** The same kind of path for where a streaming parser stands: {@code webhook.url}, {@code webhook.events[1]}. */
    public static String ofParsingContext(JsonStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                segments.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                segments.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            if (!out.isEmpty() && !segment.startsWith("[")) {
                out.append('.');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /**
     * The property path of a bean-validation violation without the method and parameter nodes,
     * snake_cased: {@code submit.request.samplerSettings.eta} becomes {@code sampler_settings.eta}.
     * A violation on the body itself (e.g. a missing body) is named {@code body}.
     */
    static String ofViolation(ConstraintViolation<?> violation) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CONSTRUCTOR || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            // A node inside a list carries the element's index: loras[1].scale is "loras", then "scale" at index 1.
            if (node.isInIterable() && node.getIndex() != null && !out.isEmpty()) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() == null || node.getName().startsWith("<")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(SNAKE.translate(node.getName()));
        }
        return out.isEmpty() ? "body" : out.toString();
    }
}
