package io.stipple.workbench.bench;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Counts the FLOPs of a forward pass from a graph, at a concrete batch size.
 *
 * <p>Counting rule: two FLOPs per multiply-add of the ops that do the arithmetic, and nothing for
 * the rest. {@code MatMul} [M,K]x[K,N] is {@code 2 M N K}; {@code BatchMatMul}/V2/V3 is {@code 2 *
 * (output elements) * K}; {@code Conv2D} is {@code 2 * (output elements) * kh * kw * Cin} (taps
 * that fall on "SAME" padding count too, as the usual convention does). Bias adds, normalisation,
 * activations and softmax are not counted as FLOPs; their output elements are reported separately
 * ({@link FlopCount#otherElements()}) because on a CPU they cost memory traffic, not arithmetic.
 *
 * <p>Shapes come from TensorFlow's own shape inference: the graph is re-imported with every
 * placeholder's unknown leading (batch) dimension set to {@code batch}, so every reshape, attention
 * product and convolution gets a fully known shape. Only the ops the output depends on count.
 */
public final class ForwardFlops {

    private ForwardFlops() {
    }

    /**
     * @param graphDef a graph whose placeholders have an unknown ({@code -1}) leading dimension
     * @param output   the output tensor, e.g. {@code "unet_conv_out_..:0"} or an op name
     */
    public static FlopCount count(GraphDef graphDef, String output, int batch) {
        GraphDef fixed = withBatch(graphDef, batch);
        try (Graph graph = new Graph()) {
            graph.importGraphDef(fixed);
            Operand<?> out = graph.outputOrThrow(output);
            Set<GraphOperation> path = graph.subgraphTo(Set.of(out));
            Map<String, Long> byType = new TreeMap<>();
            long flops = 0;
            long other = 0;
            for (GraphOperation op : path) {
                long f = flops(op);
                if (f > 0) {
                    byType.merge(op.type(), f, Long::sum);
                    flops += f;
                } else {
                    for (int i = 0; i < op.numOutputs(); i++) {
                        other += Math.max(0, elements(op.output(i).shape()));
                    }
                }
            }
            return new FlopCount(batch, flops, byType, other, path.size());
        }
    }

    private static long flops(GraphOperation op) {
        return switch (op.type()) {
            case "MatMul" -> {
                Shape a = known(op, op.input(0).shape());
                boolean transposeA = op.attributes().getAttrBool("transpose_a");
                yield 2 * elements(known(op, op.output(0).shape())) * a.get(transposeA ? 0 : 1);
            }
            case "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3" -> {
                Shape a = known(op, op.input(0).shape());
                boolean adjointX = op.attributes().getAttrBool("adj_x");
                int rank = a.numDimensions();
                yield 2 * elements(known(op, op.output(0).shape())) * a.get(adjointX ? rank - 2 : rank - 1);
            }
            case "Conv2D" -> {
                Shape filter = known(op, op.input(1).shape());
                yield 2 * elements(known(op, op.output(0).shape())) * filter.get(0) * filter.get(1) * filter.get(2);
            }
            default -> 0;
        };
    }

    private static Shape known(GraphOperation op, Shape shape) {
        if (shape.isUnknown() || shape.hasUnknownDimension()) {
            throw new IllegalStateException(op.type() + " " + op.name() + " has shape " + shape
                    + " after fixing the batch; cannot count its FLOPs");
        }
        return shape;
    }

    private static long elements(Shape shape) {
        return shape.isUnknown() || shape.hasUnknownDimension() ? -1 : shape.size();
    }

    /** A copy in which every placeholder's {@code -1} leading dimension is {@code batch}. */
    static GraphDef withBatch(GraphDef graphDef, int batch) {
        GraphDef.Builder builder = graphDef.toBuilder();
        Set<String> seen = new HashSet<>();
        for (NodeDef.Builder node : builder.getNodeBuilderList()) {
            if (!node.getOp().equals("Placeholder") || !node.containsAttr("shape") || !seen.add(node.getName())) {
                continue;
            }
            TensorShapeProto shape = node.getAttrOrThrow("shape").getShape();
            if (shape.getDimCount() > 0 && shape.getDim(0).getSize() == -1) {
                TensorShapeProto fixedShape = shape.toBuilder().setDim(0, shape.getDim(0).toBuilder().setSize(batch)).build();
                node.putAttr("shape", AttrValue.newBuilder().setShape(fixedShape).build());
            }
        }
        return builder.build();
    }
}
