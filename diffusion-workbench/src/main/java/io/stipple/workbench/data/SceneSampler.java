package io.stipple.workbench.data;

import io.stipple.engine.data.Background;
import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Fill;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.ShapeKind;
import io.stipple.engine.data.Size;
import java.util.SplittableRandom;

/** Draws scenes uniformly over all attribute values, with jitter, from a caller's random source. */
public final class SceneSampler {

    private SceneSampler() {
    }

    /** A uniformly random solid-fill scene. */
    public static Scene sample(SplittableRandom random) {
        return new Scene(
                pick(ShapeKind.values(), random),
                pick(Colour.values(), random),
                pick(Size.values(), random),
                pick(Position.values(), random),
                pick(Background.values(), random),
                Fill.SOLID,
                random.nextDouble(-Scene.MAX_JITTER, Scene.MAX_JITTER),
                random.nextDouble(-Scene.MAX_JITTER, Scene.MAX_JITTER),
                random.nextDouble(1 - Scene.MAX_SCALE_JITTER, 1 + Scene.MAX_SCALE_JITTER));
    }

    static <T> T pick(T[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }
}
