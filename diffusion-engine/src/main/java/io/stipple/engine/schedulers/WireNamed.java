package io.stipple.engine.schedulers;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant spelled in scheduler_config.json the way diffusers spells it. */
interface WireNamed {

    String wireName();

    /** The constant named {@code value}, or a message listing what is supported for {@code key}. */
    static <E extends Enum<E> & WireNamed> E parse(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.wireName().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unsupported " + key + " '" + value + "'; supported: "
                + Arrays.stream(type.getEnumConstants()).map(WireNamed::wireName).collect(Collectors.joining(", ")));
    }
}
