package io.stipple.engine.data.user;

import java.util.List;

/** What loading a user's dataset produced: the usable samples and every problem found. */
public record LoadedDataset(List<CaptionedImage> samples, List<Problem> problems) {

    public LoadedDataset {
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
    }

    /** The samples, or an exception listing the problems if none is usable. */
    public List<CaptionedImage> requireSamples() {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no usable image in the dataset; problems: " + problems);
        }
        return samples;
    }
}
