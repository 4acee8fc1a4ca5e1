package io.stipple.engine.data.user;

/**
 * Safety limits for loading untrusted uploads.
 *
 * @param maxPixels     largest width x height accepted, checked from the image header before any
 *                      pixel is decoded (a 100 KB PNG can claim 50 000 x 50 000 pixels)
 * @param maxFileBytes  largest single file (for zip entries: bytes actually inflated, not the
 *                      size the entry header claims)
 * @param maxFiles      most files considered in one dataset
 */
public record LoaderLimits(long maxPixels, long maxFileBytes, int maxFiles) {

    /** 16 megapixels, 32 MiB per file, 10 000 files. */
    public static final LoaderLimits DEFAULT = new LoaderLimits(16L << 20, 32L << 20, 10_000);

    public LoaderLimits {
        if (maxPixels < 1 || maxFileBytes < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
