package io.stipple.gateway.rest;

import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.rest.problem.ApiProblem;

import java.util.Arrays;

/** Reads an enum from a query parameter by its JSON name, failing with the allowed values. */
final class QueryEnums {

    private QueryEnums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String parameter, String value) {
        try {
            return WireNames.parse(type, value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField(parameter, "must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(WireNames::of).toList() + ", got \"" + value + "\"");
        }
    }
}
