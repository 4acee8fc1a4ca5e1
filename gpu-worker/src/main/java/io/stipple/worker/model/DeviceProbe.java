package io.stipple.worker.model;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Which device TensorFlow will run the models on: tries one op pinned to the first GPU with soft
 * placement off, so it fails unless the native build has CUDA and a GPU is visible.
 */
public final class DeviceProbe {

    public static final String GPU = "GPU:0";
    public static final String CPU = "CPU:0";

    private DeviceProbe() {
    }

    public static String device() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder()
                    .deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            var sum = tf.math.add(tf.constant(1f), tf.constant(1f));
            try (Session session = new Session(graph, ConfigProto.newBuilder().setAllowSoftPlacement(false).build());
                    Result result = session.runner().fetch(sum).run()) {
                return ((TFloat32) result.get(0)).getFloat() == 2f ? GPU : CPU;
            }
        } catch (RuntimeException e) {
            return CPU;
        }
    }
}
