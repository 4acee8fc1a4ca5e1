package io.stipple.engine.data;

import java.util.List;

/** One value of a scene attribute, with the word captions use for it. */
public interface Label {

    /** The caption word(s), e.g. "star", "top left", "dark blue". */
    String word();

    /** The value's index among its attribute's values (a classifier's class index). */
    int ordinal();

    /** Other words captions may use for the same value ("big" for large); none by default. */
    default List<String> aliases() {
        return List.of();
    }
}
