package io.stipple.engine.sd.unet;

import io.stipple.engine.sd.nn.TorchWeights;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A U-Net forward pass fed through placeholders of unknown batch, height, width and text length.
 *
 * @param sample   [B, H, W, in_channels]
 * @param timestep [B]
 * @param context  [B, L, cross_attention_dim]
 * @param outputs  the prediction [B, H, W, out_channels] and the module probes
 */
public record UNetGraph(Placeholder<TFloat32> sample, Placeholder<TFloat32> timestep, Placeholder<TFloat32> context,
        UNetOutputs outputs) {

    public static UNetGraph build(Ops tf, TorchWeights weights, UNetConfig config) {
        var sample = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, config.inChannels())));
        var timestep = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        var context = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, config.crossAttentionDim())));
        return new UNetGraph(sample, timestep, context,
                UNet2DCondition.build(tf, weights, config, sample, timestep, context));
    }
}
