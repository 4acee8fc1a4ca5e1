package io.stipple.engine.data;

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
