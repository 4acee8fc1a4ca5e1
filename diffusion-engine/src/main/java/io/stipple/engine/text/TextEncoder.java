package io.stipple.engine.text;

import io.stipple.engine.nn.Blocks;
import io.stipple.engine.nn.Layers;
import io.stipple.engine.nn.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A small transformer encoder: token embeddings plus learned position embeddings, pre-norm
 * layers, a final LayerNorm. No padding mask: as in Stable Diffusion's CLIP conditioning the
 * padding positions carry (learned) embeddings too, and an all-padding prompt is the
 * unconditional input that classifier-free guidance contrasts against.
 */
public final class TextEncoder {

    private TextEncoder() {
    }

    /** tokens [B, L] int32 to embeddings [B, L, D]. */
    public static Operand<TFloat32> build(Ops tf, Parameters params, TextEncoderConfig config, Operand<TInt32> tokens) {
        Operand<TFloat32> table = params.normal("text_token_embedding",
                Shape.of(config.vocabularySize(), config.width()), 1f);
        Operand<TFloat32> positions = params.normal("text_position_embedding",
                Shape.of(1, config.maxLength(), config.width()), 0.1f);
        Operand<TFloat32> x = tf.math.add(tf.gather(table, tokens, tf.constant(0)), positions);
        for (int i = 0; i < config.layers(); i++) {
            x = Blocks.transformerLayer(tf, params, "text_layer" + i, x, config.heads(), 2);
        }
        return Layers.layerNorm(tf, params, "text_final_norm", x);
    }
}
