package io.stipple.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    @Test
    void followsTheDocumentedLayout() {
        assertEquals("results/acme/job-7/0.png", ObjectKeys.result("acme", "job-7", 0));
        assertEquals("results/acme/job-7/3.json", ObjectKeys.resultSidecar("acme", "job-7", 3));
        assertEquals("results/acme/job-7/", ObjectKeys.resultsPrefix("acme", "job-7"));
        assertEquals("uploads/acme/u1/dog 1.jpg", ObjectKeys.upload("acme", "u1", "dog 1.jpg"));
        assertEquals("models/base/3/saved_model/variables/variables.index",
                ObjectKeys.model("base", "3", "saved_model/variables/variables.index"));
        assertEquals("models/base/3/", ObjectKeys.modelPrefix("base", "3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "tab\there"})
    void refusesSegmentsThatCouldLeaveTheirPrefix(String bad) {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.result(bad, "job", 0));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.modelPrefix("model", bad));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../other/x", "a//b", "a/./b", "/abs", "dir/"})
    void refusesFilePathsWithEmptyOrDotSegments(String bad) {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.upload("acme", "u1", bad));
    }

    @Test
    void refusesNegativeImageIndexes() {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.result("acme", "job", -1));
    }
}
