package io.stipple.workbench.data;

/**
 * Disjoint seed ranges of the procedural dataset. Sample {@code i} of a split is rendered from
 * seed {@code first + i}; each range holds {@link #SIZE} seeds, so no seed belongs to two splits.
 *
 * <pre>
 * TRAIN               [0,             1_000_000_000)  diffusion model training
 * VALIDATION          [1_000_000_000, 2_000_000_000)  model selection, loss curves
 * TEST                [2_000_000_000, 3_000_000_000)  held-out captions and real renders for eval
 * CLASSIFIER_TRAIN    [3_000_000_000, 4_000_000_000)  the measuring classifiers' own training data
 * SUBJECT_INSTANCE    [4_000_000_000, 5_000_000_000)  DreamBooth instance renders of the subject
 * SUBJECT_HELD_OUT    [5_000_000_000, 6_000_000_000)  renders of the subject kept for evaluation
 * </pre>
 */
public enum Split {
    TRAIN(0),
    VALIDATION(1),
    TEST(2),
    CLASSIFIER_TRAIN(3),
    SUBJECT_INSTANCE(4),
    SUBJECT_HELD_OUT(5);

    public static final long SIZE = 1_000_000_000L;

    private final long first;

    Split(int block) {
        this.first = block * SIZE;
    }

    /** The seed of the split's sample {@code index}. */
    public long seed(long index) {
        if (index < 0 || index >= SIZE) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + SIZE + ") of " + this);
        }
        return first + index;
    }

    /** Whether the seed belongs to this split. */
    public boolean contains(long seed) {
        return seed >= first && seed < first + SIZE;
    }
}
