package io.stipple.workbench.data;

import io.stipple.engine.data.Fill;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubjectTest {

    @Test
    void subjectKeepsItsIdentityAndVariesTheRest() {
        List<Scene> instances = Subject.instances(8);
        List<Scene> heldOut = Subject.heldOut(8);
        Set<Position> positions = new HashSet<>();
        for (Scene scene : instances) {
            assertEquals(Subject.SHAPE, scene.shape());
            assertEquals(Subject.COLOUR, scene.colour());
            assertEquals(Fill.CHECKERED, scene.fill());
            positions.add(scene.position());
        }
        assertTrue(positions.size() > 2, "instances should vary in position");
        assertNotEquals(instances.get(0), heldOut.get(0));
        assertEquals(instances, Subject.instances(8));
    }

    @Test
    void theBaseDatasetNeverContainsAPatternedFill() {
        for (long seed = 0; seed < 5000; seed++) {
            assertEquals(Fill.SOLID, ProceduralShapes.sample(seed).scene().fill());
        }
    }
}
