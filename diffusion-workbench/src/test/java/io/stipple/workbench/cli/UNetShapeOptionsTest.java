package io.stipple.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The shared U-Net options keep each training command's own defaults, and a given value replaces them. */
class UNetShapeOptionsTest {

    @Test
    void eachTrainingCommandKeepsItsOwnNetworkDefaults() {
        TrainCommand base = new TrainCommand();
        new CommandLine(base).parseArgs("--work", "w");
        TrainSuperResolutionCommand stage = new TrainSuperResolutionCommand();
        new CommandLine(stage).parseArgs("--work", "w");

        assertEquals(List.of(32, 16, List.of(1, 2, 2), 1),
                List.of(base.unet.baseChannels, base.unet.groups, base.unet.channelMultipliers, base.unet.resBlocks));
        assertEquals(List.of(16, 8, List.of(1, 2, 2), 1),
                List.of(stage.unet.baseChannels, stage.unet.groups, stage.unet.channelMultipliers, stage.unet.resBlocks));
    }

    @Test
    void givenValuesReplaceTheDefaults() {
        TrainSuperResolutionCommand stage = new TrainSuperResolutionCommand();
        new CommandLine(stage).parseArgs("--work", "w", "--base-channels", "24", "--groups", "4", "--channel-mult", "1,2",
                "--res-blocks", "2");

        assertEquals(List.of(24, 4, List.of(1, 2), 2),
                List.of(stage.unet.baseChannels, stage.unet.groups, stage.unet.channelMultipliers, stage.unet.resBlocks));
    }
}
