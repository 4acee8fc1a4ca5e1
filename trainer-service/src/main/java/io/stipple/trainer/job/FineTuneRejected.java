package io.stipple.trainer.job;

/** The job's input cannot work (bad images, unknown base, token the base cannot read): fail it, never retry. */
public final class FineTuneRejected extends RuntimeException {

    public FineTuneRejected(String reason) {
        super(reason);
    }

    public FineTuneRejected(String reason, Throwable cause) {
        super(reason, cause);
    }
}
