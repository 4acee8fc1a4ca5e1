package io.stipple.engine.unet;

import static io.stipple.engine.unet.ModelInputs.AUG_LEVEL;
import static io.stipple.engine.unet.ModelInputs.LOW_RES;
import static io.stipple.engine.unet.ModelInputs.SAMPLE;
import static io.stipple.engine.unet.ModelInputs.TEXT_EMBEDDING;
import static io.stipple.engine.unet.ModelInputs.TIMESTEP;
import static io.stipple.engine.unet.ModelInputs.TOKENS;

import io.stipple.engine.nn.Parameters;
import io.stipple.engine.text.TextEncoder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The model's placeholders and outputs in one graph. Training feeds tokens straight through the
 * text encoder into the U-Net (so both train jointly); inference splits them into two functions,
 * {@code encode_text} and {@code denoise}, so guidance can encode a prompt once and reuse the
 * embedding at every step. Fields that a config does not use are null.
 *
 * @param tokens int32 [B, L]
 * @param textOutput the text encoder's [B, L, D] embedding of {@code tokens}
 * @param textEmbedding the U-Net's text input: a placeholder for inference, {@code textOutput} in training
 * @param output the U-Net's prediction [B, H, W, C]
 */
public record DenoisingGraph(Placeholder<TFloat32> sample, Placeholder<TFloat32> timestep,
        Placeholder<TInt32> tokens, Operand<TFloat32> textOutput, Operand<TFloat32> textEmbedding,
        Placeholder<TFloat32> lowRes, Placeholder<TFloat32> augmentationLevel, Operand<TFloat32> output) {

    public static DenoisingGraph forTraining(Ops tf, Parameters params, ModelConfig config) {
        return build(tf, params, config, false);
    }

    public static DenoisingGraph forInference(Ops tf, Parameters params, ModelConfig config) {
        return build(tf, params, config, true);
    }

    private static DenoisingGraph build(Ops tf, Parameters params, ModelConfig config, boolean separateText) {
        UNetConfig unet = config.unet();
        int size = unet.imageSize();
        var sample = tf.withName(SAMPLE).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, size, size, unet.channels())));
        var timestep = tf.withName(TIMESTEP).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        Placeholder<TInt32> tokens = null;
        Operand<TFloat32> textOutput = null;
        Operand<TFloat32> textEmbedding = null;
        if (config.textConditioned()) {
            var text = config.textEncoder();
            tokens = tf.withName(TOKENS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, text.maxLength())));
            textOutput = TextEncoder.build(tf, params, text, tokens);
            textEmbedding = separateText
                    ? tf.withName(TEXT_EMBEDDING).placeholder(TFloat32.class,
                            Placeholder.shape(Shape.of(-1, text.maxLength(), text.width())))
                    : textOutput;
        }
        Placeholder<TFloat32> lowRes = unet.extraInputChannels() == 0 ? null
                : tf.withName(LOW_RES).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, size, size, unet.extraInputChannels())));
        Placeholder<TFloat32> augmentation = !unet.augmentationLevelEmbedding() ? null
                : tf.withName(AUG_LEVEL).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        Operand<TFloat32> output = UNet.build(tf, params, unet,
                new UNet.Inputs(sample, timestep, textEmbedding, lowRes, augmentation));
        return new DenoisingGraph(sample, timestep, tokens, textOutput, textEmbedding, lowRes, augmentation, output);
    }
}
