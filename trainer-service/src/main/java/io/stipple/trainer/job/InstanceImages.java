package io.stipple.trainer.job;

import io.stipple.engine.image.ImageDecoder;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a fine-tune's instance images from the gateway's upload ({@code uploads/{tenant}/{upload}/})
 * and brings them to the base model's square resolution (centre crop, area resize). Every
 * problem is a {@link FineTuneRejected} that names the file.
 */
@ApplicationScoped
public class InstanceImages {

    private final ObjectStore store;
    private final TrainerConfig.Instances limits;

    InstanceImages(ObjectStore store, TrainerConfig config) {
        this.store = store;
        this.limits = config.instances();
    }

    /** NHWC in [-1, 1], one image per uploaded file in key order. */
    public float[] load(String tenant, String uploadId, int resolution) {
        List<ObjectInfo> files = store.list(ObjectKeys.uploadPrefix(tenant, uploadId));
        if (files.size() < limits.min() || files.size() > limits.max()) {
            throw new FineTuneRejected("upload " + uploadId + " holds " + files.size() + " images; a fine-tune needs "
                    + limits.min() + " to " + limits.max());
        }
        List<RgbImage> images = new ArrayList<>(files.size());
        for (ObjectInfo file : files) {
            String name = file.key().substring(file.key().lastIndexOf('/') + 1);
            try {
                RgbImage decoded = ImageDecoder.decode(store.get(file.key()), limits.maxPixels());
                images.add(Resize.toSquare(decoded, resolution));
            } catch (IOException e) {
                throw new FineTuneRejected("instance image " + name + " of upload " + uploadId + " is unreadable: "
                        + e.getMessage(), e);
            }
        }
        return RgbImage.toBatch(images);
    }
}
