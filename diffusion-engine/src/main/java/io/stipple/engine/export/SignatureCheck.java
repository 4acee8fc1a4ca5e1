package io.stipple.engine.export;

import io.stipple.engine.weights.ModelFormatException;
import java.util.Map;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/** Checks a loaded signature against the expected inputs and outputs, failing with what is wrong by name. */
final class SignatureCheck {

    private final Signature signature;

    SignatureCheck(Signature signature) {
        this.signature = signature;
    }

    static SignatureCheck of(Map<String, Signature> signatures, String key, String modelPath) {
        Signature signature = signatures.get(key);
        if (signature == null) {
            throw new ModelFormatException("SavedModel " + modelPath + " has no '" + key + "' signature (has "
                    + signatures.keySet() + "); see docs/model-format.md");
        }
        return new SignatureCheck(signature);
    }

    /** Requires an input with this type and rank; returns its shape (-1 for unknown dimensions). */
    Shape input(String name, DataType type, int rank) {
        return check("input", signature.getInputs().get(name), name, type, rank);
    }

    Shape output(String name, DataType type, int rank) {
        return check("output", signature.getOutputs().get(name), name, type, rank);
    }

    boolean hasInput(String name) {
        return signature.getInputs().containsKey(name);
    }

    private Shape check(String kind, Signature.TensorDescription description, String name, DataType type, int rank) {
        String where = "signature '" + signature.key() + "'";
        if (description == null) {
            throw new ModelFormatException(where + " lacks the " + kind + " '" + name + "' (its " + kind + "s are "
                    + (kind.equals("input") ? signature.inputNames() : signature.outputNames()) + ")");
        }
        if (description.dataType != type) {
            throw new ModelFormatException(where + " " + kind + " '" + name + "' has type " + description.dataType
                    + ", expected " + type);
        }
        if (description.shape.isUnknown() || description.shape.numDimensions() != rank) {
            throw new ModelFormatException(where + " " + kind + " '" + name + "' has shape " + description.shape
                    + ", expected rank " + rank);
        }
        return description.shape;
    }

    Signature signature() {
        return signature;
    }
}
