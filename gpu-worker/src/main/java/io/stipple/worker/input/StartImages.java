package io.stipple.worker.input;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.engine.image.ImageDecoder;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.pipeline.ImageStart;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;

/**
 * A job's start image (and inpainting mask) from the gateway's uploads
 * ({@code uploads/{tenant}/{upload}/}, one image each), brought to the model's square resolution
 * like fine-tune instance images (centre crop, area resize). The mask is read as brightness: white
 * is repainted, black kept, grey blends.
 */
@ApplicationScoped
public class StartImages {

    private final ObjectStore store;
    private final long maxPixels;

    StartImages(ObjectStore store, WorkerConfig config) {
        this.store = store;
        this.maxPixels = config.maxInputPixels();
    }

    /** Image-to-image or inpainting per the spec, at the images' {@code size}; blocking (object store). */
    public ImageStart load(String tenant, GenerationSpec spec, ImageSize size) {
        float[] image = read(tenant, spec.initImage().uploadId(), "init_image", size).pixels();
        if (spec.maskUploadId() == null) {
            return ImageStart.imageToImage(image, spec.initImage().strength());
        }
        float[] mask = read(tenant, spec.maskUploadId(), "mask_upload_id", size).pixels();
        float[] keep = new float[mask.length];
        for (int pixel = 0; pixel < mask.length; pixel += RgbImage.CHANNELS) {
            // [-1, 1] -> brightness in [0, 1] (Rec. 601 luma); keep what is dark.
            double luma = (0.299 * mask[pixel] + 0.587 * mask[pixel + 1] + 0.114 * mask[pixel + 2] + 1) / 2;
            float keepValue = (float) Math.max(0, Math.min(1, 1 - luma));
            for (int c = 0; c < RgbImage.CHANNELS; c++) {
                keep[pixel + c] = keepValue;
            }
        }
        return ImageStart.inpainting(image, keep);
    }

    private RgbImage read(String tenant, String uploadId, String field, ImageSize size) {
        List<ObjectInfo> files = store.list(ObjectKeys.uploadPrefix(tenant, uploadId));
        if (files.size() != 1) {
            throw new UnusableInputException(field + ": upload " + uploadId + " holds " + files.size()
                    + " files; it must hold exactly one image");
        }
        try {
            return Resize.toFill(ImageDecoder.decode(store.get(files.get(0).key()), maxPixels), size.height(),
                    size.width());
        } catch (IOException e) {
            throw new UnusableInputException(field + ": upload " + uploadId + " is not a readable image: " + e.getMessage());
        }
    }
}
