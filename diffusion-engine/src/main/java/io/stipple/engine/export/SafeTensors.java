package io.stipple.engine.export;

import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.weights.CheckpointFormatException;
import io.stipple.engine.weights.DType;
import io.stipple.engine.weights.SafetensorsFile;
import io.stipple.engine.weights.SafetensorsWriter;
import io.stipple.engine.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * float32 tensors in the safetensors format (github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte range,
 * then the raw little-endian data. Chosen for LoRA adapters because other tools read it and a
 * reader needs nothing but the file (no pickle, no TensorFlow).
 */
public final class SafeTensors {

    private SafeTensors() {
    }

    /** Writes the tensors in name order. */
    public static void write(Path file, Map<String, ? extends org.tensorflow.Tensor> tensors) throws IOException {
        Map<String, SafetensorsWriter.Tensor> values = new TreeMap<>();
        tensors.forEach((name, tensor) -> {
            if (!(tensor instanceof TFloat32 floats)) {
                throw new IllegalArgumentException(name + " is not float32");
            }
            float[] data = new float[(int) floats.size()];
            floats.asRawTensor().data().asFloats().read(data);
            values.put(name, new SafetensorsWriter.Tensor(floats.shape().asArray(), data));
        });
        SafetensorsWriter.write(file, values);
    }

    /**
     * Reads every tensor (F32 only) through the validating {@link SafetensorsFile}; the caller
     * closes them. A malformed file or another dtype fails with a {@link ModelFormatException}
     * naming the file and tensor.
     */
    public static Map<String, TFloat32> read(Path file) throws IOException {
        Map<String, TFloat32> tensors = new LinkedHashMap<>();
        try (SafetensorsFile source = SafetensorsFile.open(file)) {
            for (String name : source.names()) {
                TensorInfo info = source.info(name);
                if (info.dtype() != DType.F32) {
                    throw new ModelFormatException(name + " in " + file + " is not F32");
                }
                float[] values = source.floats(name);
                tensors.put(name, TFloat32.tensorOf(Shape.of(info.shape()), DataBuffers.of(values, true, false)));
            }
        } catch (CheckpointFormatException e) {
            tensors.values().forEach(TFloat32::close);
            throw new ModelFormatException(e.getMessage(), e);
        } catch (RuntimeException | IOException e) {
            tensors.values().forEach(TFloat32::close);
            throw e;
        }
        return tensors;
    }
}
