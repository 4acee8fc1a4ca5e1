package io.stipple.engine.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A durable copy of a training run's latest checkpoint, outside the work directory (the object
 * store in trainer-service), so that a run restarted on an empty work directory resumes.
 */
public interface CheckpointStore {

    /** Keeps nothing: the work directory alone holds the checkpoint. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public boolean fetch(Path workDir) {
            return false;
        }

        @Override
        public void publish(Path workDir, List<Path> files, long step) {
        }
    };

    /** Copies the latest published checkpoint's files into {@code workDir}; false when there is none. */
    boolean fetch(Path workDir) throws IOException;

    /**
     * Publishes a complete checkpoint just written at {@code step}: {@code files} are relative to
     * {@code workDir}. A reader never sees a half-published checkpoint.
     */
    void publish(Path workDir, List<Path> files, long step) throws IOException;
}
