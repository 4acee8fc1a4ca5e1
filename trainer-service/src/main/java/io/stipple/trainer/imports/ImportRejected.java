package io.stipple.trainer.imports;

/**
 * The upload can never become a model (hostile or broken archive, wrong structure, tensors that do
 * not fit the family, a name someone else holds): the job fails for good with this message, which
 * names the file, entry or tensor at fault.
 */
public class ImportRejected extends RuntimeException {

    public ImportRejected(String message) {
        super(message);
    }

    public ImportRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
