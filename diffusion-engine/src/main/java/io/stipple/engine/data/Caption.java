package io.stipple.engine.data;

/** A caption's text and the spec it expresses (omitted attributes absent from the spec). */
public record Caption(String text, SceneSpec spec) {
}
