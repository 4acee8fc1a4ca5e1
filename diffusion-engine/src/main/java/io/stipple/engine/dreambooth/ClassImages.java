package io.stipple.engine.dreambooth;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ModelIdentity;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.training.Blobs;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.function.IntBinaryOperator;

/**
 * The prior-preservation class images: sampled from the base model for the class prompt in
 * batches, seeded, and cached in {@link Blobs} per base version, class prompt and sampling
 * settings. Image {@code i} draws its noise from (seed, i) alone, so a cached set of n images is
 * also the first n of any larger set: a request for more extends the cache instead of redoing it.
 */
public final class ClassImages {

    private static final int MAGIC = 0x53544349; // "STCI"
    private static final int BATCH = 50;

    private final Blobs cache;

    public ClassImages(Blobs cache) {
        this.cache = cache;
    }

    /** Told (done, total) after each sampled batch; returns nothing of interest. */
    @FunctionalInterface
    public interface Progress {
        void sampled(int done, int total);
    }

    /**
     * {@code count} class images, NHWC in [-1, 1], from the cache or sampled now.
     *
     * @param scratch a folder for the cache file's local copy
     */
    public float[] obtain(DiffusionModel base, String classPrompt, int count, ClassImageSettings settings, Path scratch,
            Progress progress) throws IOException {
        ImageSize size = base.defaults().nativeSize();
        int[] shape = {size.height(), size.width(), 3};
        int stride = size.rgbValues();
        String key = key(base.identity(), classPrompt, settings);
        Path local = scratch.resolve("class-images.f32");
        Files.createDirectories(scratch);
        float[] cached = cache.get(key, local) ? read(local, shape) : new float[0];
        int have = cached.length / stride;
        if (have >= count) {
            progress.sampled(count, count);
            float[] images = new float[count * stride];
            System.arraycopy(cached, 0, images, 0, images.length);
            return images;
        }
        float[] images = new float[count * stride];
        System.arraycopy(cached, 0, images, 0, cached.length);
        PromptSampler sampler = new PromptSampler(base, SamplerChoice.parse(settings.sampler()), settings.steps(),
                settings.guidance(), false);
        for (int first = have; first < count; first += BATCH) {
            int n = Math.min(BATCH, count - first);
            float[] batch = sampler.sample(Collections.nCopies(n, classPrompt), "", settings.seed(), first);
            System.arraycopy(batch, 0, images, first * stride, batch.length);
            progress.sampled(first + n, count);
        }
        write(local, images, count, shape);
        cache.put(key, local);
        return images;
    }

    /** {@code class-images/<base>/<version>/<sha256 of prompt and settings>.f32} */
    static String key(ModelIdentity base, String classPrompt, ClassImageSettings settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((classPrompt + "\n" + settings.key()).getBytes(StandardCharsets.UTF_8));
            return "class-images/" + base.name() + "/" + base.version() + "/"
                    + HexFormat.of().formatHex(digest, 0, 16) + ".f32";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, float[] images, int count, int[] shape) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeInt(count);
            for (int d : shape) {
                out.writeInt(d);
            }
            for (float v : images) {
                out.writeFloat(v);
            }
        }
    }

    private static float[] read(Path file, int[] shape) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt() == MAGIC ? in.readInt() : -1;
            int[] stored = {in.readInt(), in.readInt(), in.readInt()};
            if (count < 0 || !java.util.Arrays.equals(stored, shape)) {
                return new float[0]; // not ours or another shape: sample afresh and overwrite
            }
            float[] images = new float[count * shape[0] * shape[1] * shape[2]];
            for (int i = 0; i < images.length; i++) {
                images[i] = in.readFloat();
            }
            return images;
        }
    }
}
