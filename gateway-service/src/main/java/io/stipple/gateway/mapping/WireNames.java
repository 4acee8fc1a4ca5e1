package io.stipple.gateway.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON name of an enum constant (its {@code @JsonProperty}, as the contracts declare them). */
public final class WireNames {

    private WireNames() {
    }

    public static String of(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property == null ? constant.name() : property.value();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }

    /** The constant of {@code type} whose JSON name is {@code name}; fails for an unknown name. */
    public static <E extends Enum<E>> E parse(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " is called \"" + name + "\"");
    }
}
