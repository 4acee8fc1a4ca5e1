package io.stipple.workbench.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The U-Net size options every training command shares (a picocli mixin). Each command passes its
 * own defaults (the base model's network is wider than a super-resolution stage's); picocli shows
 * a field's initial value as the option's default.
 */
final class UNetShapeOptions {

    @Option(names = "--base-channels", description = "Channels of the first level (default: ${DEFAULT-VALUE}).")
    int baseChannels;

    @Option(names = "--channel-mult", defaultValue = "1,2,2", split = ",", description = "Channel multiplier per level.")
    List<Integer> channelMultipliers;

    @Option(names = "--res-blocks", defaultValue = "1", description = "Residual blocks per level.")
    int resBlocks;

    @Option(names = "--groups", description = "GroupNorm groups (default: ${DEFAULT-VALUE}).")
    int groups;

    UNetShapeOptions(int baseChannels, int groups) {
        this.baseChannels = baseChannels;
        this.groups = groups;
    }
}
