package io.stipple.workbench.cli;

import picocli.CommandLine.Option;

/** The sampling settings shared by the measuring commands (defaults: the bundled model card's). */
public final class SamplingOptions {

    @Option(names = "--sampler", defaultValue = "dpmpp_2m")
    String sampler;

    @Option(names = "--steps", defaultValue = "20")
    int steps;

    @Option(names = "--guidance", defaultValue = "3")
    double guidance;

    @Option(names = "--seed", defaultValue = "0")
    long seed;
}
