package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What the measuring commands ({@code eval}, {@code eval-sr}) score against (a picocli mixin): the
 * first {@code --count} held-out TEST captions or scenes, the clean attribute classifier, and the
 * real TEST renders of the Frechet reference set.
 */
final class HeldOutSetOptions {

    @Option(names = "--classifier", defaultValue = BundledModels.CLASSIFIER,
            description = "The clean (measuring) attribute classifier's folder.")
    Path classifierDir;

    @Option(names = "--count", defaultValue = "200", description = "Held-out TEST captions / scenes (one image each).")
    int count;

    @Option(names = "--real-images", defaultValue = "1000", description = "Real TEST renders in the Frechet reference set.")
    int realImages;

    @Option(names = "--batch", defaultValue = "50", description = "Images sampled together (does not change them).")
    int batch;
}
