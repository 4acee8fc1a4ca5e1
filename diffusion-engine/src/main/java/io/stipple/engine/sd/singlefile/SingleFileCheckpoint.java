package io.stipple.engine.sd.singlefile;

import io.stipple.engine.weights.CheckpointFormatException;
import io.stipple.engine.weights.TensorInfo;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Stable Diffusion 1.x/2.x checkpoint in one file with the original LDM / A1111 key names (the
 * form most community fine-tunes are shared in), presented as the three diffusers components'
 * {@link WeightSource}s: {@link #unet()}, {@link #vae()}, {@link #textEncoder()}, under the names
 * diffusers' {@code from_single_file} gives them, plus their configs inferred from the tensors
 * ({@link SingleFileConfigs}).
 *
 * <p>Every key of the file is accounted for: renamed into a component, or known and unused
 * (LDM's stored noise schedule, EMA copies, OpenCLIP's projection and its last layer, which SD 2.x
 * does not use); any other key refuses the file, naming it. Values are read when a network asks
 * for them, from the one open file.
 */
public final class SingleFileCheckpoint implements AutoCloseable {

    static final String UNET_PREFIX = "model.diffusion_model.";
    static final String VAE_PREFIX = "first_stage_model.";
    private static final Pattern LDM_BUFFER = Pattern.compile(
            "betas|alphas_cumprod(_prev)?|(sqrt_|sqrt_one_minus_|log_one_minus_|sqrt_recip_|sqrt_recipm1_)alphas_cumprod"
                    + "|posterior_\\w+|lvlb_weights|logvar|model_ema\\..*"
                    + "|cond_stage_model\\.transformer\\.(text_model\\.)?embeddings\\.position_ids");
    private static final Pattern INPUT_BLOCK = Pattern.compile("input_blocks\\.(\\d+)\\.");
    private static final Pattern ENCODER_LEVEL = Pattern.compile("encoder\\.down\\.(\\d+)\\.");
    private static final int NAMES_SHOWN = 20;

    private final WeightSource file;
    private final RenamedWeights unet;
    private final RenamedWeights vae;
    private final RenamedWeights textEncoder;
    private final boolean openClip;
    private final List<String> unused;

    SingleFileCheckpoint(WeightSource file) {
        this.file = file;
        Set<String> keys = file.names();
        List<String> unknown = new ArrayList<>();
        List<String> unusedKeys = new ArrayList<>();
        Map<String, RenamedWeights.Origin> unetNames = new LinkedHashMap<>();
        Map<String, RenamedWeights.Origin> vaeNames = new LinkedHashMap<>();
        Map<String, RenamedWeights.Origin> textNames = new LinkedHashMap<>();
        LdmUNetNames unetRenamer = new LdmUNetNames(unetLayersPerBlock(keys));
        LdmVaeNames vaeRenamer = new LdmVaeNames(count(keys, VAE_PREFIX, ENCODER_LEVEL));
        int openClipLayers = count(keys, LdmTextNames.OPENCLIP_PREFIX + "transformer.resblocks.", Pattern.compile("(\\d+)\\."));
        this.openClip = openClipLayers > 0;
        for (String key : keys) {
            if (LDM_BUFFER.matcher(key).matches()) {
                unusedKeys.add(key);
            } else if (key.startsWith(UNET_PREFIX)) {
                addRenamed(unetNames, key, unetRenamer.diffusersName(key.substring(UNET_PREFIX.length())), unknown, name -> null);
            } else if (key.startsWith(VAE_PREFIX)) {
                addRenamed(vaeNames, key, vaeRenamer.diffusersName(key.substring(VAE_PREFIX.length())), unknown,
                        name -> LdmVaeNames.isConvToLinear(name) ? dropUnitDims(key) : null);
            } else if (key.startsWith(LdmTextNames.OPENAI_PREFIX)) {
                addRenamed(textNames, key, LdmTextNames.openAiName(key.substring(LdmTextNames.OPENAI_PREFIX.length())),
                        unknown, name -> null);
            } else if (key.startsWith(LdmTextNames.OPENCLIP_PREFIX)) {
                addOpenClip(textNames, key, openClipLayers, unknown, unusedKeys);
            } else {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new CheckpointFormatException(file + ": " + unknown.size() + " keys that are not those of an SD 1.x/2.x"
                    + " single-file checkpoint (model.diffusion_model.*, first_stage_model.*, cond_stage_model.*): "
                    + shown(unknown));
        }
        this.unet = new RenamedWeights(file + " (unet)", file, unetNames);
        this.vae = new RenamedWeights(file + " (vae)", file, vaeNames);
        this.textEncoder = new RenamedWeights(file + " (text_encoder)", file, textNames);
        this.unused = List.copyOf(unusedKeys);
        require(unet, "U-Net", UNET_PREFIX);
        require(vae, "VAE", VAE_PREFIX);
        require(textEncoder, "text encoder", "cond_stage_model.transformer.* or cond_stage_model.model.");
    }

    /**
     * Opens a single-file checkpoint ({@code .safetensors}; pickled {@code .ckpt} files are not read).
     *
     * @throws CheckpointFormatException when the file is malformed or its keys are not an SD 1.x/2.x
     *         single file's (naming the file and the keys)
     */
    public static SingleFileCheckpoint open(Path file) throws IOException {
        WeightSource source = WeightSources.open(file);
        try {
            return new SingleFileCheckpoint(source);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * A single file's tensors from any source, such as a {@code SafetensorsLayout} (names and shapes only, for
     * its configs and layout without its values); closing the checkpoint closes {@code source}.
     *
     * @throws CheckpointFormatException when its keys are not an SD 1.x/2.x single file's
     */
    public static SingleFileCheckpoint of(WeightSource source) {
        return new SingleFileCheckpoint(source);
    }

    /** The U-Net's weights under {@code UNet2DConditionModel}'s names. */
    public WeightSource unet() {
        return unet;
    }

    /** The autoencoder's weights under {@code AutoencoderKL}'s names, mid-block attention as linear layers. */
    public WeightSource vae() {
        return vae;
    }

    /** The text encoder's weights under {@code CLIPTextModel}'s names ({@code text_model.*}). */
    public WeightSource textEncoder() {
        return textEncoder;
    }

    /** Whether the text encoder is OpenCLIP (SD 2.x) rather than OpenAI CLIP (SD 1.x). */
    public boolean openClip() {
        return openClip;
    }

    /** Keys of the file that are known and not part of any component. */
    public List<String> unusedKeys() {
        return unused;
    }

    /** The file key a component's (diffusers-named) tensor is read from. */
    public String sourceKey(WeightSource component, String name) {
        return ((RenamedWeights) component).sourceKey(name);
    }

    /** The configs of the three components as far as the tensors tell, the rest as stated. */
    public SingleFileConfigs configs(StatedConfig stated) {
        return SingleFileConfigs.infer(this, stated);
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return file.toString();
    }

    private void addRenamed(Map<String, RenamedWeights.Origin> names, String key, String name, List<String> unknown,
            Function<String, long[]> reshape) { // reshape: the shape presented, or null for the stored one
        if (name == null) {
            unknown.add(key);
            return;
        }
        long[] shape = reshape.apply(name);
        names.put(name, RenamedWeights.Origin.whole(key, shape != null ? shape : file.info(key).shape()));
    }

    private void addOpenClip(Map<String, RenamedWeights.Origin> names, String key, int layers, List<String> unknown,
            List<String> unusedKeys) {
        String local = key.substring(LdmTextNames.OPENCLIP_PREFIX.length());
        if (LdmTextNames.OPENCLIP_UNUSED.contains(local) || LdmTextNames.openClipLayer(local) == layers - 1) {
            unusedKeys.add(key);
            return;
        }
        List<String> targets = LdmTextNames.openClipNames(local);
        if (targets.isEmpty()) {
            unknown.add(key);
            return;
        }
        long[] shape = file.info(key).shape();
        if (targets.size() == 1) {
            names.put(targets.get(0), RenamedWeights.Origin.whole(key, shape));
            return;
        }
        if (shape.length == 0 || shape[0] % targets.size() != 0) {
            throw new CheckpointFormatException(file + ": tensor '" + key + "' of shape " + new TensorInfo(key,
                    file.info(key).dtype(), shape) + " does not split into q, k and v by rows");
        }
        long[] part = shape.clone();
        part[0] /= targets.size();
        for (int i = 0; i < targets.size(); i++) {
            names.put(targets.get(i), new RenamedWeights.Origin(key, part, i, targets.size()));
        }
    }

    /** {@code [out, in, 1, 1]} as {@code [out, in]}; refuses any other shape by name. */
    private long[] dropUnitDims(String key) {
        long[] shape = file.info(key).shape();
        if (shape.length == 2) {
            return shape;
        }
        if (shape.length != 4 || shape[2] != 1 || shape[3] != 1) {
            throw new CheckpointFormatException(file + ": tensor '" + key + "' should be a 1x1 convolution [out, in, 1, 1], not "
                    + file.info(key));
        }
        return new long[] {shape[0], shape[1]};
    }

    private void require(RenamedWeights component, String what, String prefix) {
        if (component.names().isEmpty()) {
            throw new CheckpointFormatException(file + ": no " + what + " in this file (no " + prefix + "* keys)");
        }
    }

    /** LDM's input blocks are conv_in, then per level layers_per_block blocks and (except on the last level) a downsampler. */
    private int unetLayersPerBlock(Set<String> keys) {
        int blocks = count(keys, UNET_PREFIX, INPUT_BLOCK);
        int levels = (int) keys.stream().filter(k -> k.startsWith(UNET_PREFIX + "input_blocks.") && k.endsWith(".0.op.weight"))
                .count() + 1;
        int perLevel = (blocks - 1 - (levels - 1)) / Math.max(levels, 1);
        if (blocks < 2 || perLevel < 1 || 1 + levels * perLevel + levels - 1 != blocks) {
            return Math.max(perLevel, 1); // not an LDM U-Net: its keys are refused by name below
        }
        return perLevel;
    }

    /** How many distinct indices {@code pattern}'s first group takes in keys under {@code prefix} (their highest + 1). */
    static int count(Set<String> keys, String prefix, Pattern pattern) {
        int highest = -1;
        for (String key : keys) {
            if (key.startsWith(prefix)) {
                Matcher m = pattern.matcher(key.substring(prefix.length()));
                if (m.lookingAt()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        }
        return highest + 1;
    }

    private static String shown(List<String> names) {
        Set<String> sorted = new TreeSet<>(names);
        List<String> first = sorted.stream().limit(NAMES_SHOWN).toList();
        return String.join(", ", first) + (sorted.size() > NAMES_SHOWN ? " and " + (sorted.size() - NAMES_SHOWN) + " more" : "");
    }
}
