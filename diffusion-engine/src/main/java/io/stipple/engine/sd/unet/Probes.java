package io.stipple.engine.sd.unet;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Collects module outputs by diffusers module path while the graph is built. */
final class Probes {

    private final Map<String, Operand<TFloat32>> byPath = new LinkedHashMap<>();

    /** Remembers {@code output} as module {@code path}'s and returns it. */
    Operand<TFloat32> record(String path, Operand<TFloat32> output) {
        byPath.put(path, output);
        return output;
    }

    Map<String, Operand<TFloat32>> all() {
        return byPath;
    }
}
