package io.stipple.workbench.data;

import io.stipple.engine.data.SceneSpec;

/** A caption's text and the spec it expresses (omitted attributes absent from the spec). */
public record Caption(String text, SceneSpec spec) {
}
